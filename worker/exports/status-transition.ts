import type { UpstreamRenderStatus } from '../upstream/types.ts'
import { MAX_RENDER_ATTEMPTS } from './config.ts'
import { exportFileName } from './file-name.ts'
import { renderIdFor } from './job-id.ts'
import type { JobRecord } from './job-record.ts'
import type { JobPatch } from './job-store.ts'
import type { JobError } from './upstream-errors.ts'

/** What a job does with a status the backend reported for its current render. */
export type Transition =
  | { kind: 'update'; patch: JobPatch }
  /** The render failed and one more attempt is left: store this, then submit the new render id. */
  | { kind: 'resubmit'; patch: JobPatch; reason: string }
  | { kind: 'fail'; error: JobError }
  /**
   * The backend says completed but names no file: the job stays `processing` (the patch) while
   * the token-only download is tried; `completed` (the patch of `done`) once it answers.
   */
  | { kind: 'check_file'; patch: JobPatch; done: JobPatch }

/**
 * How many polls may find a render "completed" without a file URL and the token-only download
 * failing before the job fails with `export_file_missing`: the backend may publish the file a
 * moment after it reports completion, but a job must never be `completed` without a way to get it.
 */
export const RENDER_FILE_CHECKS = 3

/**
 * The job's next state for a backend status: progress while it runs, the file's name once it is
 * completed, a new render id after a first failure, `failed` with the backend's reason after the
 * second. Pure, so the at-least-once alarm can apply the same status twice harmlessly.
 */
export function transition(job: JobRecord, status: UpstreamRenderStatus, now: number): Transition {
  const running = { submitState: 'submitted', consecutiveErrors: 0 } as const
  switch (status.status) {
    case 'pending':
    case 'processing':
      return {
        kind: 'update',
        patch: {
          ...running,
          status: status.status,
          progress: clampProgress(status.progress) ?? job.progress,
        },
      }
    case 'completed': {
      const done: JobPatch = {
        ...running,
        status: 'completed',
        progress: 100,
        outputUrl: status.outputUrl ?? null,
        completedAt: now,
        fileName: exportFileName(job.preset, now),
      }
      if (status.outputUrl) return { kind: 'update', patch: done }
      return { kind: 'check_file', patch: { ...running, status: 'processing', progress: 99 }, done }
    }
    case 'cancelled':
      return { kind: 'update', patch: { ...running, status: 'cancelled' } }
    case 'failed': {
      const reason = (status.error ?? 'unknown').slice(0, 300)
      if (job.attempt >= MAX_RENDER_ATTEMPTS) {
        return {
          kind: 'fail',
          error: { code: 'render_failed', params: { reason, attempts: job.attempt } },
        }
      }
      const attempt = job.attempt + 1
      return {
        kind: 'resubmit',
        reason,
        patch: {
          attempt,
          renderId: renderIdFor(job.jobId, attempt),
          submitState: 'submitting',
          status: 'pending',
          progress: null,
          consecutiveErrors: 0,
        },
      }
    }
  }
}

function clampProgress(progress: number | undefined): number | null {
  if (progress === undefined || !Number.isFinite(progress)) return null
  return Math.min(100, Math.max(0, progress))
}
