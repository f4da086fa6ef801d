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
 * The job's next state for a backend status: progress while it runs, the file's name once it is
 * completed, a new render id after a first failure, `failed` with the backend's reason after the
 * second. Pure, so the at-least-once alarm can apply the same status twice harmlessly.
 */
export function transition(job: JobRecord, status: UpstreamRenderStatus, now: number): Transition {
  const running = { submitState: 'submitted', consecutiveErrors: 0 } as const
  switch (status.status) {
    case 'pending':
    case 'processing':
      return { kind: 'update', patch: { ...running, status: status.status, progress: clampProgress(status.progress) ?? job.progress } }
    case 'completed':
      return {
        kind: 'update',
        patch: {
          ...running,
          status: 'completed',
          progress: 100,
          outputUrl: status.outputUrl ?? null,
          completedAt: now,
          fileName: exportFileName(job.preset, now),
        },
      }
    case 'cancelled':
      return { kind: 'update', patch: { ...running, status: 'cancelled' } }
    case 'failed': {
      const reason = (status.error ?? 'unknown').slice(0, 300)
      if (job.attempt >= MAX_RENDER_ATTEMPTS) {
        return { kind: 'fail', error: { code: 'render_failed', params: { reason, attempts: job.attempt } } }
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
