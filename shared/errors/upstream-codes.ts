import type { ErrorCode } from './codes.ts'

/** The backend's numeric `code` values (contract page, "Error codes"), 0 being success. */
const BY_UPSTREAM_CODE: Readonly<Record<number, ErrorCode>> = {
  1001: 'token_expired',
  1002: 'session_lost',
  2001: 'no_credits',
  4001: 'unsupported_format',
  4002: 'file_too_large',
  400: 'missing_client_id',
  402: 'plan_required',
  429: 'upstream_rate_limited',
}

/**
 * The shared error code of a backend answer, from its `code` field and, when the code says nothing
 * known, its HTTP status. `undefined` means success (code 0 on a non-error status).
 *
 * The caller refines by context: a 429 of the anonymous-token call is `registration_capped`, and
 * 1001 is only `token_expired` once the one re-auth has failed, and a 401 on a user's own API token
 * is `invalid_api_token`.
 */
export function upstreamCodeToErrorCode(code: number, httpStatus?: number): ErrorCode | undefined {
  const known = BY_UPSTREAM_CODE[code]
  if (known) return known
  if (httpStatus !== undefined && httpStatus >= 400) return fromHttpStatus(httpStatus)
  if (code === 0) return undefined
  // A non-zero code nobody documented: a failure we cannot name.
  return 'upstream_unavailable'
}

function fromHttpStatus(status: number): ErrorCode {
  if (status === 401) return 'token_expired'
  if (status === 402) return 'plan_required'
  if (status === 408 || status === 504) return 'upstream_timeout'
  if (status === 429) return 'upstream_rate_limited'
  return 'upstream_unavailable'
}
