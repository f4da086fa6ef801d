import { ApiError } from '../../shared/api/index.ts'

/**
 * The worker's error envelope carried by a thrown value (`ApiRequestError.error`), or an
 * `upstream_unavailable` for anything else, so the UI always has a code to describe.
 */
export function apiErrorOf(err: unknown): ApiError {
  if (err && typeof err === 'object' && 'error' in err) {
    const parsed = ApiError.safeParse(err.error)
    if (parsed.success) return parsed.data
  }
  return { code: 'upstream_unavailable', message: 'The PageReel worker could not be reached.' }
}

/** True when the value is an abort (popup closed, model disposed), not a failure to show. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError'
}

/** A fresh id for clientMessageId / idempotencyKey: 32 url-safe characters. */
export function newId(): string {
  return crypto.randomUUID().replaceAll('-', '')
}
