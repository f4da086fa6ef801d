import type { ApiError } from '../../shared/errors/codes.ts'
import { UpstreamError, WorkerError } from '../errors.ts'

/** An expected failure as it crosses a Durable Object RPC boundary (Error subclasses do not). */
export interface CarriedError {
  code: ApiError['code']
  params?: NonNullable<ApiError['params']>
  action?: NonNullable<ApiError['action']>
  upstreamCode?: number
  httpStatus?: number
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CarriedError }

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value })

/** Wraps a WorkerError into an Outcome; anything else is a bug and is rethrown. */
export function carry(err: unknown): Outcome<never> {
  if (!(err instanceof WorkerError)) throw err
  const error: CarriedError = { code: err.code }
  if (err.params) error.params = err.params
  if (err.action) error.action = err.action
  if (err instanceof UpstreamError) {
    if (err.upstreamCode !== undefined) error.upstreamCode = err.upstreamCode
    if (err.httpStatus !== undefined) error.httpStatus = err.httpStatus
  }
  return { ok: false, error }
}

/** The value of an Outcome, or its error thrown again as an UpstreamError. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  const { code, ...detail } = outcome.error
  throw new UpstreamError(code, detail)
}
