import { WorkerError } from '../errors.ts'
import type { ErrorCode } from '../../shared/errors/codes.ts'
import type { ErrorParams } from './job-record.ts'

/** Codes worth another try later: the backend or the network had a bad moment. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set([
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_rate_limited',
  'internal',
])

/** An error as a job stores it: a shared code and safe params (never a message with a secret). */
export interface JobError {
  code: ErrorCode
  params?: ErrorParams
}

/** Anything thrown by an upstream call, as a stored code. Non-WorkerErrors (network) are transient. */
export function jobErrorOf(err: unknown): JobError {
  if (err instanceof WorkerError)
    return err.params ? { code: err.code, params: err.params } : { code: err.code }
  if (err instanceof Error && err.name === 'TimeoutError') return { code: 'upstream_timeout' }
  return { code: 'upstream_unavailable' }
}

/**
 * Whether to try again later. While a job runs in the background a refused token is worth waiting
 * out too (the backend keeps rendering; a user can set a new API token meanwhile), bounded by the
 * job's error limit and maximum age; at the first submit it is answered to the user instead.
 */
export function isTransient(error: JobError, phase: 'start' | 'background'): boolean {
  return TRANSIENT.has(error.code) || (phase === 'background' && error.code === 'token_expired')
}

/** Races `promise` against a timer; the loser is abandoned (its fetch may still finish). */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WorkerError('upstream_timeout', { params: { afterMs: ms } })),
      ms,
    )
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
