import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env.ts'
import { UpstreamError, WorkerError } from '../errors.ts'
import { fail, ok, type Result } from '../result.ts'
import { TERMINAL_JOB_STATUSES, type ExportPreset } from '../../shared/api/exports.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import type { UpstreamRenderStatus } from '../upstream/types.ts'
import {
  BEST_EFFORT_TIMEOUT_MS,
  MAX_CONSECUTIVE_ERRORS,
  UPSTREAM_CALL_TIMEOUT_MS,
  backoffMs,
  renderTiming,
  type RenderTiming,
} from './config.ts'
import { presetFrame } from './draft-frame.ts'
import { renderIdFor } from './job-id.ts'
import { toSnapshot, type JobRecord, type JobSnapshot } from './job-record.ts'
import { JobStore } from './job-store.ts'
import { OutputKeeper } from './output-keeper.ts'
import { RENDER_FILE_CHECKS, transition, type Transition } from './status-transition.ts'
import { isTransient, jobErrorOf, withTimeout, type JobError } from './upstream-errors.ts'

/** Storage key of how often a "completed" render's file was looked for in vain. */
const FILE_CHECKS_KEY = 'fileChecks'

export interface StartInput {
  jobId: string
  installationId: string
  sessionId: string
  upstreamSessionId: string
  preset: ExportPreset
  /** The draft to render, with the preset's frame already set in `m`. */
  draft: unknown
}

/**
 * One export: submits the render, then polls the backend from its alarm every
 * RENDER_POLL_INTERVAL_MS until the render is finished, failed, cancelled or too old, so the job
 * never depends on a browser staying open. All state is one SQLite row; every step is idempotent
 * because alarms are delivered at least once. The alarm handler catches everything and re-arms
 * itself (platform retries give up after six failures and then polling would stop for good).
 * A completed job's file is copied into R2 after the status is stored (never delaying it) and kept
 * EXPORT_COPY_TTL_MS; a finished job is kept for its download (retentionMs), then the object
 * deletes the copy and empties itself.
 */
export class RenderJob extends DurableObject<Env> {
  readonly #store: JobStore
  readonly #timing: RenderTiming
  readonly #output: OutputKeeper
  /** The first submit in flight, so a concurrent duplicate start() gets the same answer. */
  #starting: Promise<Result<JobSnapshot>> | undefined
  /** An unknown status word was logged already (once per job and instance is enough). */
  #warnedUnknown = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.#store = new JobStore(ctx.storage.sql)
    this.#timing = renderTiming(env)
    this.#output = new OutputKeeper(env, ctx.storage.sql, this.#timing)
  }

  /** Creates the job and submits its render, once: a repeated call answers the existing job. */
  start(input: StartInput): Promise<Result<JobSnapshot>> {
    const existing = this.#store.read()
    if (existing) {
      if (existing.installationId !== input.installationId)
        return Promise.resolve(fail(new WorkerError('not_found'), 'export start'))
      return this.#starting ?? Promise.resolve(ok(toSnapshot(existing)))
    }
    const now = Date.now()
    const { width, height } = presetFrame(input.preset)
    // The row says "submitting" before the call: if this object dies mid-call, the alarm asks the
    // backend about the same render id before it submits, so a render is never sent twice.
    this.#store.insert(
      {
        jobId: input.jobId,
        installationId: input.installationId,
        sessionId: input.sessionId,
        upstreamSessionId: input.upstreamSessionId,
        preset: input.preset,
        width,
        height,
        status: 'pending',
        progress: null,
        attempt: 1,
        renderId: renderIdFor(input.jobId, 1),
        submitState: 'submitting',
        consecutiveErrors: 0,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
        outputUrl: null,
        fileName: null,
        errorCode: null,
        errorParams: null,
      },
      input.draft,
    )
    this.#starting = this.#firstSubmit(now).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  /** The job as stored, or null when it does not exist or belongs to another installation. */
  snapshot(installationId: string): JobSnapshot | null {
    const job = this.#store.read()
    return job && job.installationId === installationId ? toSnapshot(job) : null
  }

  /** Stops polling and cancels the render upstream (best effort). A finished job stays as it is. */
  async cancel(installationId: string): Promise<JobSnapshot | null> {
    const job = this.#store.read()
    if (!job || job.installationId !== installationId) return null
    if (TERMINAL_JOB_STATUSES.has(job.status)) return toSnapshot(job)
    const cancelled = this.#store.update({ status: 'cancelled' })
    // Replaces the poll alarm: from now on the only alarm is the retention clean-up.
    await this.ctx.storage.setAlarm(this.#output.jobEnd(cancelled))
    await this.#cancelUpstream(cancelled)
    return toSnapshot(cancelled)
  }

  override async alarm(): Promise<void> {
    const job = this.#store.read()
    if (!job) return
    if (TERMINAL_JOB_STATUSES.has(job.status) && !this.#output.due(job)) return this.#retire(job)
    try {
      if (!TERMINAL_JOB_STATUSES.has(job.status)) await this.#advance(job)
    } catch (err) {
      this.#recordError(err)
    } finally {
      try {
        // After the status is stored: a completed job reads as completed while its file is copied.
        const current = this.#store.read()
        if (current) await this.#output.attempt(current)
      } finally {
        await this.#arm()
      }
    }
  }

  async #firstSubmit(now: number): Promise<Result<JobSnapshot>> {
    await this.ctx.storage.setAlarm(now + this.#timing.pollIntervalMs)
    const job = this.#current()
    try {
      await this.#submit(job)
      return ok(toSnapshot(this.#current()))
    } catch (err) {
      const error = jobErrorOf(err)
      if (isTransient(error, 'start')) {
        // The armed alarm checks this render id and submits again if it never arrived.
        return ok(toSnapshot(this.#store.update({ consecutiveErrors: 1 })))
      }
      // Refused outright (402 plan_required, a lost session...): the caller answers the error and
      // nothing is left behind polling. The error goes back whole: its action and backend details.
      await this.#wipe()
      return fail(err, 'export start')
    }
  }

  async #advance(job: JobRecord): Promise<void> {
    // The first submit is still in flight in this instance: its answer decides; poll next time.
    if (this.#starting) return
    if (Date.now() - job.createdAt >= this.#timing.maxAgeMs) {
      const failed = this.#fail({
        code: 'render_failed',
        params: {
          reason: 'took_too_long',
          maxAgeMinutes: Math.round(this.#timing.maxAgeMs / 60_000),
        },
      })
      await this.#cancelUpstream(failed)
      return
    }
    if (job.submitState === 'submitting') {
      // The last submit may or may not have arrived: ask about that id before sending it again.
      const known = await this.#statusIfKnown(job)
      return known ? this.#apply(job, known) : this.#submit(job)
    }
    const status = await this.#statusIfKnown(job)
    if (status) return this.#apply(job, status)
    // The backend no longer knows a render it accepted, e.g. the installation's anonymous token was
    // renewed under a new identity: nothing will ever complete, so say so now.
    this.#fail({ code: 'render_failed', params: { reason: 'render_unknown' } })
  }

  async #submit(job: JobRecord): Promise<void> {
    const upstream = createUpstream(this.env, job.installationId)
    const answer = await withTimeout(
      upstream.submitRender({
        renderId: job.renderId,
        upstreamSessionId: job.upstreamSessionId,
        draft: this.#store.draft(),
      }),
      UPSTREAM_CALL_TIMEOUT_MS,
    )
    const stored = this.#store.read()
    // Cancelled while the submit was on its way: the backend only knows the render now.
    if (stored?.status === 'cancelled' && stored.renderId === job.renderId)
      return this.#cancelUpstream(stored)
    await this.#apply(job, answer)
  }

  /** The status of a render id that may have been submitted, or null when the backend never got it. */
  async #statusIfKnown(job: JobRecord): Promise<UpstreamRenderStatus | null> {
    try {
      return await withTimeout(
        createUpstream(this.env, job.installationId).renderStatus(job.renderId),
        UPSTREAM_CALL_TIMEOUT_MS,
      )
    } catch (err) {
      if (err instanceof UpstreamError && err.httpStatus === 404) return null
      throw err
    }
  }

  /** Applies the backend's status of `job.renderId`, unless the job moved on meanwhile. */
  async #apply(job: JobRecord, status: UpstreamRenderStatus): Promise<void> {
    const stored = this.#store.read()
    if (!stored || stored.renderId !== job.renderId || TERMINAL_JOB_STATUSES.has(stored.status))
      return
    if (status.unknownStatus !== undefined && !this.#warnedUnknown) {
      // Not an error: the render goes on being polled at the usual interval.
      this.#warnedUnknown = true
      console.warn(
        `render ${stored.renderId}: unknown status "${status.unknownStatus}", read as in progress`,
      )
    }
    const now = Date.now()
    const next = transition(stored, status, now)
    if (next.kind === 'fail') {
      this.#fail(next.error)
      return
    }
    if (next.kind === 'check_file') return this.#checkFile(stored, next)
    const updated = this.#store.update(next.patch, now)
    if (next.kind === 'resubmit') {
      console.warn(
        `render ${stored.renderId} failed (${next.reason}); submitting ${updated.renderId}`,
      )
      await this.#submit(updated)
    }
  }

  /**
   * A render completed without a file URL: the job completes only once the token-only download
   * answers (and is served through it); after RENDER_FILE_CHECKS failed polls it fails honestly.
   */
  async #checkFile(
    job: JobRecord,
    next: Extract<Transition, { kind: 'check_file' }>,
  ): Promise<void> {
    const checks = ((await this.ctx.storage.get<number>(FILE_CHECKS_KEY)) ?? 0) + 1
    await this.ctx.storage.put(FILE_CHECKS_KEY, checks)
    let reason: string
    try {
      const res = await withTimeout(
        createUpstream(this.env, job.installationId).downloadRender(job.renderId),
        UPSTREAM_CALL_TIMEOUT_MS,
      )
      // Only whether it answers matters here; the file itself goes to R2 or the user later.
      await res.body?.cancel()
      if (this.#store.read()?.renderId === job.renderId) this.#store.update(next.done)
      return
    } catch (err) {
      reason = jobErrorOf(err).code
    }
    console.warn(
      `render ${job.renderId}: completed without a file URL, download fallback failed (${reason}), check ${checks} of ${RENDER_FILE_CHECKS}`,
    )
    if (checks >= RENDER_FILE_CHECKS) {
      this.#fail({ code: 'export_file_missing', params: { reason: 'file_unavailable', checks } })
      return
    }
    this.#store.update(next.patch)
  }

  #recordError(err: unknown): void {
    const job = this.#store.read()
    if (!job || TERMINAL_JOB_STATUSES.has(job.status)) return
    const error = jobErrorOf(err)
    console.error(
      `render job ${job.jobId}: ${error.code} (attempt ${job.attempt}, ${job.consecutiveErrors + 1} in a row)`,
    )
    if (!isTransient(error, 'background')) {
      this.#fail(error)
      return
    }
    const errors = job.consecutiveErrors + 1
    if (errors >= MAX_CONSECUTIVE_ERRORS) {
      this.#fail({ code: 'render_failed', params: { reason: 'backend_unreachable', errors } })
      return
    }
    this.#store.update({ consecutiveErrors: errors })
  }

  #fail(error: JobError): JobRecord {
    return this.#store.update({
      status: 'failed',
      errorCode: error.code,
      errorParams: error.params ?? null,
    })
  }

  /** Next poll after the usual interval (or the backoff), or the retention clean-up when done. */
  async #arm(): Promise<void> {
    const job = this.#store.read()
    if (!job) return
    if (TERMINAL_JOB_STATUSES.has(job.status)) {
      await this.ctx.storage.setAlarm(this.#output.nextWake(job))
      return
    }
    await this.ctx.storage.setAlarm(
      Date.now() + backoffMs(this.#timing.pollIntervalMs, job.consecutiveErrors),
    )
  }

  /** The retention alarm: deletes the R2 copy past its time, and the whole job past its own. */
  async #retire(job: JobRecord): Promise<void> {
    const now = Date.now()
    const end = now >= this.#output.jobEnd(job)
    try {
      await this.#output.expire(job, now, end)
    } catch (err) {
      // Kept until R2 answers: the record is what finds the copy again.
      console.warn(
        `export ${job.jobId}: deleting the R2 copy failed (${err instanceof Error ? err.name : 'error'}); trying later`,
      )
      return this.ctx.storage.setAlarm(now + this.#timing.pollIntervalMs)
    }
    if (!end) return this.ctx.storage.setAlarm(this.#output.nextWake(job, now))
    await this.#wipe()
  }

  async #wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  async #cancelUpstream(job: JobRecord): Promise<void> {
    try {
      await withTimeout(
        createUpstream(this.env, job.installationId).cancelRender(job.renderId),
        BEST_EFFORT_TIMEOUT_MS,
      )
    } catch (err) {
      console.warn(`render ${job.renderId}: cancel upstream failed (${jobErrorOf(err).code})`)
    }
  }

  #current(): JobRecord {
    const job = this.#store.read()
    if (!job) throw new Error('render job has no row')
    return job
  }
}
