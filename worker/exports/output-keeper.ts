import type { Env } from '../env.ts'
import {
  backoffMs,
  COPY_TIMEOUT_MS,
  MAX_COPY_ATTEMPTS,
  retentionMs,
  type RenderTiming,
} from './config.ts'
import { CopyStore, type CopyRecord } from './copy-store.ts'
import type { JobRecord } from './job-record.ts'
import { CopyImpossible, copyOutput, deleteCopy } from './output-copy.ts'
import { jobErrorOf, withTimeout } from './upstream-errors.ts'

/**
 * The RenderJob's keeping of its finished file in R2: when to copy (at completion, then retried
 * with backoff by its own attempt counter), when to delete (EXPORT_COPY_TTL_MS after the copy, and
 * at the latest with the job), and when the job's object must next wake for either.
 */
export class OutputKeeper {
  readonly #env: Env
  readonly #store: CopyStore
  readonly #timing: RenderTiming

  constructor(env: Env, sql: SqlStorage, timing: RenderTiming) {
    this.#env = env
    this.#store = new CopyStore(sql)
    this.#timing = timing
  }

  /** Whether a completed job's copy should be attempted now (none yet, or a failed one to retry). */
  due(job: JobRecord): boolean {
    if (job.status !== 'completed' || this.#timing.copyTtlMs === 0) return false
    const copy = this.#store.read()
    return !copy || (copy.state === 'failed' && copy.attempts < MAX_COPY_ATTEMPTS)
  }

  /** One copy attempt, recorded; never throws (a failed copy leaves the file served from the backend). */
  async attempt(job: JobRecord): Promise<void> {
    if (!this.due(job)) return
    const attempts = (this.#store.read()?.attempts ?? 0) + 1
    try {
      const size = await withTimeout(copyOutput(this.#env, job), COPY_TIMEOUT_MS)
      const now = Date.now()
      this.#store.write({
        state: 'copied',
        attempts,
        size,
        copiedAt: now,
        expiresAt: now + this.#timing.copyTtlMs,
      })
    } catch (err) {
      const final = err instanceof CopyImpossible || attempts >= MAX_COPY_ATTEMPTS
      const reason = err instanceof CopyImpossible ? err.message : jobErrorOf(err).code
      console.warn(
        `export ${job.jobId}: R2 copy attempt ${attempts} failed (${reason})${final ? '; serving from the backend' : ''}`,
      )
      this.#store.write({
        state: final ? 'given_up' : 'failed',
        attempts,
        size: null,
        copiedAt: null,
        expiresAt: null,
      })
    }
  }

  /** When a finished job's object must wake next: a copy retry, the copy's expiry, or the job's end. */
  nextWake(job: JobRecord, now = Date.now()): number {
    const end = this.jobEnd(job)
    const copy = this.#store.read()
    if (this.due(job))
      return Math.min(end, now + backoffMs(this.#timing.pollIntervalMs, copy?.attempts ?? 0))
    if (copy?.state === 'copied' && copy.expiresAt !== null) return Math.min(end, copy.expiresAt)
    return end
  }

  /** When the finished job itself is deleted. */
  jobEnd(job: JobRecord): number {
    return job.updatedAt + retentionMs(this.#timing.copyTtlMs)
  }

  /** Deletes a copy past its time (or any copy, with `all`, before the job goes). */
  async expire(job: JobRecord, now: number, all = false): Promise<void> {
    const copy: CopyRecord | null = this.#store.read()
    if (all) {
      // Whatever the record says: an attempt that timed out may still have finished its upload.
      if (job.status === 'completed') await deleteCopy(this.#env, job.jobId)
      return
    }
    if (copy?.state !== 'copied' || copy.expiresAt === null || now < copy.expiresAt) return
    await deleteCopy(this.#env, job.jobId)
    this.#store.write({ ...copy, state: 'deleted' })
  }
}
