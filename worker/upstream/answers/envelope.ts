import { z } from 'zod'

/**
 * The outer shape of every NemoVideo JSON answer. Most endpoints answer a numeric `code` (0 is
 * success) next to `data`; the render endpoints answer `success` + `data` instead. Unknown fields
 * pass: the backend is only known from its docs (upstream-contract.md).
 */
export const UpstreamEnvelope = z.looseObject({
  code: z.coerce.number().int().optional().catch(undefined),
  success: z.boolean().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  msg: z.string().optional().catch(undefined),
  error: z.unknown().optional(),
  data: z.unknown().optional(),
})
export type UpstreamEnvelope = z.infer<typeof UpstreamEnvelope>

/** The backend's code of an answer: `code` when given, 0 for `success: true`, else undefined. */
export function upstreamCodeOf(body: UpstreamEnvelope): number | undefined {
  if (body.code !== undefined) return body.code
  if (body.success === true) return 0
  return undefined
}

/** A finite number from a number or numeric string; anything else becomes undefined. */
export const looseNumber = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .optional()
  .catch(undefined)

/** An id given as a string or a number (19-digit ids must stay strings). */
export const looseId = z.union([z.string().min(1), z.number().transform(String)])
