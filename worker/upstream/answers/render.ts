import { z } from 'zod'
import { looseNumber } from './envelope.ts'

export const UpstreamRenderStatusValue = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled'])

const status = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(UpstreamRenderStatusValue)
  .optional()
  .catch(undefined)

const errorText = z
  .union([z.string(), z.looseObject({ message: z.string() }).transform((e) => e.message)])
  .optional()
  .catch(undefined)

const Fields = z.looseObject({
  status,
  progress: looseNumber,
  outputUrl: z.string().optional().catch(undefined),
  output_url: z.string().optional().catch(undefined),
  output: z.looseObject({ url: z.string().optional().catch(undefined) }).optional().catch(undefined),
  error: errorText,
})

/**
 * A render submit or status answer in any of its documented shapes: `data.status` with
 * `data.outputUrl`, or a top-level `status` with `output.url`. Progress is 0-100.
 */
export const RenderAnswer = Fields.extend({ data: Fields.optional().catch(undefined) }).transform((a, ctx) => {
    const d = a.data
    const value = d?.status ?? a.status
    if (!value) {
      ctx.addIssue({ code: 'custom', message: 'no render status in the answer' })
      return z.NEVER
    }
    const url = d?.outputUrl ?? d?.output_url ?? d?.output?.url ?? a.outputUrl ?? a.output_url ?? a.output?.url
    const progress = d?.progress ?? a.progress
    const error = d?.error ?? a.error
    return {
      status: value,
      ...(progress !== undefined ? { progress: Math.min(100, Math.max(0, progress)) } : {}),
      ...(url ? { outputUrl: url } : {}),
      ...(error ? { error } : {}),
    }
  })
export type RenderAnswer = z.infer<typeof RenderAnswer>
