import { z } from 'zod'
import { ApiError, ErrorAction, ErrorCode } from '../shared/errors/codes.ts'
import { UpstreamError, WorkerError } from './errors.ts'

/**
 * A WorkerError as plain data, every detail kept: thrown across a Durable Object RPC call an
 * Error arrives bare (message only), so every object answers failures as values instead.
 */
export const CarriedError = z.object({
  code: ErrorCode,
  params: ApiError.shape.params,
  action: ErrorAction.optional(),
  issues: ApiError.shape.issues,
  /** Set when the backend decided it (an UpstreamError), with its code and HTTP status if known. */
  upstream: z.literal(true).optional(),
  upstreamCode: z.number().optional(),
  httpStatus: z.number().optional(),
})
export type CarriedError = z.infer<typeof CarriedError>

/** What every fallible Durable Object method answers; `unwrap` on the caller's side. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CarriedError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })

/**
 * The one way to fail: `err` as data. A WorkerError (or UpstreamError) keeps its code, params,
 * action, field issues and backend details; anything else is a bug, logged with `context` and
 * carried as `internal`.
 */
export function fail(err: unknown, context: string): { ok: false; error: CarriedError } {
  if (!(err instanceof WorkerError)) {
    const what = err instanceof Error ? `${err.name}: ${err.message}` : typeof err
    console.error(`${context}: unexpected error`, what)
    return { ok: false, error: { code: 'internal' } }
  }
  const error: CarriedError = { code: err.code }
  if (err.params) error.params = err.params
  if (err.action) error.action = err.action
  if (err.issues) error.issues = err.issues
  if (err instanceof UpstreamError) {
    error.upstream = true
    if (err.upstreamCode !== undefined) error.upstreamCode = err.upstreamCode
    if (err.httpStatus !== undefined) error.httpStatus = err.httpStatus
  }
  return { ok: false, error }
}

/** Runs `work` and answers its value or its failure (see `fail`). */
export async function resultOf<T>(context: string, work: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await work())
  } catch (err) {
    return fail(err, context)
  }
}

/** The error a carried failure was, rebuilt on the caller's side. */
export function errorOf(carried: CarriedError): WorkerError {
  const { code, params, action, issues, upstream, upstreamCode, httpStatus } =
    CarriedError.parse(carried)
  if (upstream) {
    return new UpstreamError(code, {
      ...(upstreamCode !== undefined && { upstreamCode }),
      ...(httpStatus !== undefined && { httpStatus }),
      ...(params && { params }),
      ...(action && { action }),
    })
  }
  return new WorkerError(code, {
    ...(params && { params }),
    ...(action && { action }),
    ...(issues && { issues }),
  })
}

/** The one way to unwrap: the value, or the failure thrown again as the error it was. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value
  throw errorOf(result.error)
}
