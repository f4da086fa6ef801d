import type { z } from 'zod'
import type { ErrorCode } from '../../shared/errors/codes.ts'
import { upstreamCodeToErrorCode } from '../../shared/errors/upstream-codes.ts'
import { UpstreamEnvelope, upstreamCodeOf } from './answers/envelope.ts'
import { asNumber, isRecord } from './answers/pick.ts'
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
    throw new UpstreamError(
      errorCodeFor(undefined, answer.httpStatus === 200 ? 502 : answer.httpStatus),
      {
        httpStatus: answer.httpStatus,
      },
    )
  }
  const code = upstreamCodeOf(envelope.data)
  const failed =
    answer.httpStatus < 200 ||
    answer.httpStatus >= 300 ||
    (code !== undefined && code !== 0) ||
    envelope.data.success === false
  if (failed) {
    const errorCode = errorCodeFor(code, answer.httpStatus)
    const limitBytes = errorCode === 'file_too_large' ? limitBytesIn(envelope.data) : undefined
    throw new UpstreamError(errorCode, {
      httpStatus: answer.httpStatus,
      ...(code !== undefined ? { upstreamCode: code } : {}),
      ...(limitBytes !== undefined && { params: { limitBytes } }),
    })
  }
  // Session and render answers may put their fields at the top: their schemas read the whole.
  const parsed = schema.safeParse(from === 'whole' ? envelope.data : (envelope.data.data ?? {}))
  if (!parsed.success) {
    throw new UpstreamError('upstream_unavailable', {
      httpStatus: answer.httpStatus,
      cause: parsed.error,
    })
  }
  return parsed.data
}

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  byte: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
}

/**
 * The size limit a 4002 names, so the message states the limit the backend applied (not always
 * the documented 500 MB): a number field (`limit`, `max_size`, `max_bytes`…, in bytes) or a size
 * in the message ("over 524288000 bytes", "max 200MB", "超过 1GB").
 */
export function limitBytesIn(body: UpstreamEnvelope): number | undefined {
  const data = isRecord(body.data) ? body.data : {}
  for (const key of [
    'limit_bytes',
    'limitBytes',
    'max_bytes',
    'maxBytes',
    'max_size',
    'maxSize',
    'limit',
    'max_file_size',
  ]) {
    const n = asNumber(data[key] ?? (body as Record<string, unknown>)[key])
    if (n !== undefined && n >= 1024) return n
  }
  const text = [body.message, body.msg, typeof body.error === 'string' ? body.error : undefined]
    .filter(Boolean)
    .join(' ')
  const match = /(\d+(?:\.\d+)?)\s*(bytes?|[kmg]b?)\b/i.exec(text)
  if (!match) return undefined
  const bytes = Number(match[1]) * (UNIT_BYTES[match[2]!.toLowerCase()] ?? 1)
  return Number.isFinite(bytes) && bytes >= 1024 ? Math.round(bytes) : undefined
}
