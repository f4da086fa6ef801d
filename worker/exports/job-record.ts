import { z } from 'zod'
import { ExportPreset, JobStatus } from '../../shared/api/exports.ts'
import { ErrorCode } from '../../shared/errors/codes.ts'

/** Whether the current render id may have reached the backend yet (see RenderJob.start). */
export const SubmitState = z.enum(['submitting', 'submitted'])

/** Values an error was built from; stored as JSON, never a secret. */
export const ErrorParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
export type ErrorParams = z.infer<typeof ErrorParams>

/**
 * One render job as its Durable Object stores it (one row). Times are epoch milliseconds; the
 * draft is kept apart (it can be large and never leaves the object).
 */
export const JobRecord = z.object({
  jobId: z.string(),
  installationId: z.string(),
  sessionId: z.string(),
  upstreamSessionId: z.string(),
  preset: ExportPreset,
  width: z.number().int(),
  height: z.number().int(),
  status: JobStatus,
  progress: z.number().nullable(),
  attempt: z.number().int().min(1),
  renderId: z.string(),
  submitState: SubmitState,
  consecutiveErrors: z.number().int().min(0),
  createdAt: z.number(),
  updatedAt: z.number(),
  completedAt: z.number().nullable(),
  outputUrl: z.string().nullable(),
  fileName: z.string().nullable(),
  errorCode: ErrorCode.nullable(),
  errorParams: z
    .string()
    .nullable()
    .transform((raw) => (raw === null ? null : ErrorParams.parse(JSON.parse(raw)))),
})
export type JobRecord = z.output<typeof JobRecord>

/** What leaves the object: the record without the owner's upstream session id. */
export type JobSnapshot = Omit<JobRecord, 'upstreamSessionId'>

export function toSnapshot(record: JobRecord): JobSnapshot {
  const { upstreamSessionId: _omit, ...snapshot } = record
  return snapshot
}
