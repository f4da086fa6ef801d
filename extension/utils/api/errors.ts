import {
  ApiError,
  ErrorEnvelope,
  type ErrorAction,
  type ErrorCode,
} from '../../../shared/api/index.ts'

/**
 * Where a failure was decided: the worker answered it (`worker`, with its HTTP status), nothing
 * reached the worker or its answer stopped coming (`unreachable`: offline, wrong worker URL, a
 * stream that kept dropping), or the client refused before sending (`client`: an unsupported file,
 * a project that is not open).
 */
export type FailureSource = 'worker' | 'unreachable' | 'client'

/**
 * The one error the extension throws for a failed worker call or a refused user action: `error` is
 * the worker's envelope (or one built here in the same shape), `status` the HTTP status (0 when
 * the worker did not answer), `source` who decided it.
 */
export class ApiRequestError extends Error {
  readonly error: ApiError
  readonly status: number
  readonly source: FailureSource

  constructor(error: ApiError, status: number, source: FailureSource = 'worker') {
    super(error.message)
    this.name = 'ApiRequestError'
    this.error = error
    this.status = status
    this.source = source
  }

  get code(): ErrorCode {
    return this.error.code
  }
}

/**
 * The worker could not be reached at all. Kept apart (by `source`) from failures the worker
 * answered so the UI can say "check your connection".
 */
export function unreachable(cause: unknown, message = 'The PageReel worker could not be reached.') {
  const err = new ApiRequestError({ code: 'upstream_unavailable', message }, 0, 'unreachable')
  err.cause = cause
  return err
}

/** True when nothing the worker said decided the failure (see `unreachable`). */
export function isUnreachable(err: unknown): err is ApiRequestError {
  return err instanceof ApiRequestError && err.source === 'unreachable'
}

/** An error the client raises itself, before anything is sent. */
export function clientError(
  code: ErrorCode,
  message: string,
  extra: { action?: ErrorAction; params?: ApiError['params'] } = {},
): ApiRequestError {
  return new ApiRequestError({ code, message, ...extra }, 0, 'client')
}

/** Reads a non-2xx answer as the worker's envelope; anything else becomes `upstream_unavailable`. */
export async function errorFromResponse(res: Response): Promise<ApiRequestError> {
  const body: unknown = await res.json().catch(() => undefined)
  return errorFromBody(body, res.status)
}

export function errorFromBody(body: unknown, status: number): ApiRequestError {
  const parsed = ErrorEnvelope.safeParse(body)
  if (parsed.success) return new ApiRequestError(parsed.data.error, status)
  return new ApiRequestError(
    {
      code: status === 401 ? 'unauthorized' : 'upstream_unavailable',
      message: `Unexpected answer (HTTP ${status}).`,
    },
    status,
  )
}

/** True for an answer that means "this installation key is unknown": register again. */
export function isUnknownInstallation(err: unknown): boolean {
  return err instanceof ApiRequestError && err.status === 401
}
