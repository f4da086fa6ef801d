import type { ApiError, ErrorAction, ErrorCode } from '../shared/errors/codes.ts'

type Params = NonNullable<ApiError['params']>

/**
 * An expected failure with a stable code. Thrown anywhere in the worker; the app's one error funnel
 * (and the chat stream's error event) turns it into the shared `ApiError` envelope through the
 * shared error table, so status, message and action are decided in one place.
 */
export class WorkerError extends Error {
  readonly code: ErrorCode
  readonly params: Params | undefined
  readonly action: ErrorAction | undefined
  readonly issues: ApiError['issues']

  constructor(
    code: ErrorCode,
    options: {
      params?: Params
      action?: ErrorAction
      issues?: ApiError['issues']
      cause?: unknown
    } = {},
  ) {
    super(code, { cause: options.cause })
    this.name = 'WorkerError'
    this.code = code
    this.params = options.params
    this.action = options.action
    this.issues = options.issues
  }
}

/** A WorkerError caused by the backend, with the backend's code or HTTP status for logs. */
export class UpstreamError extends WorkerError {
  readonly upstreamCode: number | undefined
  readonly httpStatus: number | undefined

  constructor(
    code: ErrorCode,
    detail: {
      upstreamCode?: number
      httpStatus?: number
      params?: Params
      action?: ErrorAction
      cause?: unknown
    },
  ) {
    super(code, detail)
    this.name = 'UpstreamError'
    this.upstreamCode = detail.upstreamCode
    this.httpStatus = detail.httpStatus
  }
}
