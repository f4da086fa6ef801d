import { z } from 'zod/mini'
import { ExportPreset } from '../../shared/api/index.ts'

/** A preset of an export click whose request may not have been answered (the popup may close). */
export const PendingExport = z.object({
  sessionId: z.string(),
  preset: ExportPreset,
  idempotencyKey: z.string(),
})
export type PendingExport = z.infer<typeof PendingExport>

export const PendingExports = z.array(PendingExport)
