import type { ApiError, ErrorEnvelope } from '../../shared/errors/codes.ts'
import { describeError, toApiError, type ErrorContext } from '../../shared/errors/table.ts'
import { WorkerError } from '../errors.ts'

/** What the error table needs besides the error: whose token, and NemoVideo's web base. */
export type AnswerContext = Pick<ErrorContext, 'tokenKind' | 'bindId' | 'webBaseUrl'>

/** The HTTP status, body and (for retryable errors) Retry-After seconds of an error answer. */
export interface ErrorAnswer {
  status: number
  body: ErrorEnvelope
  retryAfterSec: number | undefined
}

/** The shared `ApiError` of a WorkerError, built by the shared error table. */
export function toApiErrorBody(err: WorkerError, ctx: AnswerContext = {}): ApiError {
  return toApiError(err.code, contextOf(err, ctx))
}

/** What the error funnel answers for an expected failure: the table's status and envelope. */
export function errorAnswer(err: WorkerError, ctx: AnswerContext = {}): ErrorAnswer {
  const full = contextOf(err, ctx)
  const body = toApiError(err.code, full)
  const afterMs = body.action?.kind === 'retry' ? body.action.afterMs : undefined
  return {
    status: describeError(err.code, full).status,
    body: { error: body },
    retryAfterSec: afterMs === undefined ? undefined : Math.ceil(afterMs / 1000),
  }
}

/** The generic answer for anything unexpected: no detail leaves the worker. */
export function internalAnswer(): ErrorAnswer {
  return errorAnswer(new WorkerError('internal'))
}

function contextOf(err: WorkerError, ctx: AnswerContext): ErrorContext {
  return {
    ...ctx,
    ...(err.params && { params: err.params }),
    ...(err.issues && { issues: err.issues }),
    ...(err.action && { action: err.action }),
  }
}
