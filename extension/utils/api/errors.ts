import {
  ApiError,
  ErrorEnvelope,
  type ErrorAction,
  type ErrorCode,
} from '../../../shared/api/index.ts'

/**
 * A worker call that failed with an answer: `error` is the worker's envelope (or one the client
 * built before sending, e.g. an unsupported file), `status` the HTTP status (0 when nothing was sent).
 */
export class ApiRequestError extends Error {
  readonly error: ApiError
  readonly status: number

  constructor(error: ApiError, status: number) {
    super(error.message)
    this.name = 'ApiRequestError'
    this.error = error
    this.status = status
  }

  get code(): ErrorCode {
    return this.error.code
  }
}

/**
 * The worker could not be reached at all (offline, wrong worker URL, connection dropped). Kept apart
 * from `ApiRequestError`s answered by the worker so the UI can say "check your connection".
 */
export class WorkerUnreachableError extends ApiRequestError {
  constructor(cause: unknown) {
    super({ code: 'upstream_unavailable', message: 'The PageReel worker could not be reached.' }, 0)
    this.name = 'WorkerUnreachableError'
    this.cause = cause
  }
}

/** An error the client raises itself, before anything is sent. */
export function clientError(
  code: ErrorCode,
  message: string,
  extra: { action?: ErrorAction; params?: ApiError['params'] } = {},
): ApiRequestError {
  return new ApiRequestError({ code, message, ...extra }, 0)
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
