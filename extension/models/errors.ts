import type { ApiError } from '../../shared/api/index.ts'
import { ApiRequestError } from '../utils/api/index.ts'

/**
 * The envelope of the one error the extension throws (`ApiRequestError.error`), or an
 * `upstream_unavailable` for anything else (a bug, a browser API failing), so the UI always has a
 * code to describe.
 */
export function apiErrorOf(err: unknown): ApiError {
  if (err instanceof ApiRequestError) return err.error
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
