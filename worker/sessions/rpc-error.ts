import { z } from 'zod'
import { ApiError, ErrorAction, ErrorCode } from '../../shared/errors/codes.ts'
import { UpstreamError, WorkerError } from '../errors.ts'

/**
 * A WorkerError as plain data. Errors thrown across a Durable Object RPC call arrive as bare
 * `Error`s without their fields, so the ProjectSession returns failures as values and the worker
 * side turns them back into the same error.
 */
export const SerializedError = z.object({
  code: ErrorCode,
  upstreamCode: z.number().optional(),
  httpStatus: z.number().optional(),
  params: ApiError.shape.params,
  action: ErrorAction.optional(),
})
export type SerializedError = z.infer<typeof SerializedError>

/** Keeps a WorkerError's code, params and action; anything else becomes `internal` (and is logged). */
export function serializeError(err: unknown, context: string): SerializedError {
  if (err instanceof UpstreamError) {
    return {
      code: err.code,
      upstreamCode: err.upstreamCode,
      httpStatus: err.httpStatus,
      params: err.params,
      action: err.action,
    }
  }
  if (err instanceof WorkerError) return { code: err.code, params: err.params, action: err.action }
  console.error(`${context}: unexpected error`, err instanceof Error ? `${err.name}: ${err.message}` : typeof err)
  return { code: 'internal' }
}

export function deserializeError(data: SerializedError): WorkerError {
  const parsed = SerializedError.parse(data)
  if (parsed.upstreamCode !== undefined || parsed.httpStatus !== undefined) {
    return new UpstreamError(parsed.code, parsed)
  }
  return new WorkerError(parsed.code, { params: parsed.params, action: parsed.action })
}

/** What the ProjectSession's fallible RPC methods answer. */
export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError }
