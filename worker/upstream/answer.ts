import type { z } from 'zod'
import type { ErrorCode } from '../../shared/errors/codes.ts'
import { upstreamCodeToErrorCode } from '../../shared/errors/upstream-codes.ts'
import { UpstreamEnvelope, upstreamCodeOf } from './answers/envelope.ts'
import { UpstreamError } from '../errors.ts'
import type { JsonAnswer } from './http.ts'

/**
 * The shared error code of a failed answer: the shared table's mapping of the backend's code and
 * HTTP status, refined for the upload statuses the table leaves generic.
 */
export function errorCodeFor(upstreamCode: number | undefined, httpStatus: number): ErrorCode {
  const mapped = upstreamCodeToErrorCode(upstreamCode ?? 0, httpStatus)
  if (mapped && mapped !== 'upstream_unavailable') return mapped
  if (httpStatus === 413) return 'file_too_large'
  if (httpStatus === 415) return 'unsupported_format'
  return 'upstream_unavailable'
}

/**
 * Reads a JSON answer: its `data` parsed with `schema` on success; otherwise an `UpstreamError`
 * carrying the shared code, the backend's code and the HTTP status (for logs, never secrets).
 */
export function readAnswer<S extends z.ZodType>(
  answer: JsonAnswer,
  schema: S,
  from: 'data' | 'whole' = 'data',
): z.infer<S> {
  const envelope = UpstreamEnvelope.safeParse(answer.body)
  if (!envelope.success) {
    throw new UpstreamError(errorCodeFor(undefined, answer.httpStatus === 200 ? 502 : answer.httpStatus), {
      httpStatus: answer.httpStatus,
    })
  }
  const code = upstreamCodeOf(envelope.data)
  const failed =
    answer.httpStatus < 200 ||
    answer.httpStatus >= 300 ||
    (code !== undefined && code !== 0) ||
    envelope.data.success === false
  if (failed) {
    throw new UpstreamError(errorCodeFor(code, answer.httpStatus), {
      httpStatus: answer.httpStatus,
      ...(code !== undefined ? { upstreamCode: code } : {}),
    })
  }
  // Session and render answers may put their fields at the top: their schemas read the whole.
  const parsed = schema.safeParse(from === 'whole' ? envelope.data : (envelope.data.data ?? {}))
  if (!parsed.success) {
    throw new UpstreamError('upstream_unavailable', { httpStatus: answer.httpStatus, cause: parsed.error })
  }
  return parsed.data
}
