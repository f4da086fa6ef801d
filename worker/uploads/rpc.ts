import type { ApiError } from '../../shared/errors/codes.ts'
import { WorkerError } from '../errors.ts'
import { deserializeError, serializeError, type SerializedError } from '../sessions/rpc-error.ts'

/**
 * What the LargeUpload object's fallible methods answer: a thrown WorkerError would cross the RPC
 * boundary as a bare Error, so failures travel as data, field issues included.
 */
export type UploadRpc<T> =
  { ok: true; value: T } | { ok: false; error: SerializedError; issues?: ApiError['issues'] }

export function failure(
  err: unknown,
  context: string,
): { ok: false; error: SerializedError; issues?: ApiError['issues'] } {
  const issues = err instanceof WorkerError ? err.issues : undefined
  return { ok: false, error: serializeError(err, context), ...(issues && { issues }) }
}

/** The value, or the failure thrown again as the WorkerError it was. */
export function unwrapUpload<T>(result: UploadRpc<T>): T {
  if (result.ok) return result.value
  const err = deserializeError(result.error)
  if (!result.issues) throw err
  throw new WorkerError(err.code, {
    issues: result.issues,
    ...(err.params && { params: err.params }),
  })
}
