import { TERMINAL_JOB_STATUSES, type ExportJob } from '../../shared/api/index.ts'

/** Renders usually take 30-90 s (contract, "Media"). */
export const TYPICAL_RENDER_MS = { min: 30_000, max: 90_000 } as const

export interface JobProgress {
  /** `editing`: the AI is still changing the draft; the render follows. */
  phase: 'editing' | ExportJob['status']
  percent?: number
  elapsedMs: number
  /** Time left from the reported progress, when there is some. */
  remainingMs?: number
  /** No progress to go by: say the typical 30-90 s instead. */
  typical: boolean
}

/**
 * One honest line for a job across both phases: the chat run still editing its project, then the
 * render's own stage, percentage and elapsed time, with an estimate only where one can be made.
 */
export function jobProgress(job: ExportJob, nowMs: number, editing: boolean): JobProgress {
  const terminal = TERMINAL_JOB_STATUSES.has(job.status)
  const end = terminal ? Date.parse(job.completedAt ?? job.updatedAt) : nowMs
  const elapsedMs = Math.max(0, end - Date.parse(job.createdAt))
  const phase = editing && job.status === 'pending' ? 'editing' : job.status
  const percent = job.progress
  if (terminal || percent === undefined || percent <= 0 || percent >= 100) {
    return { phase, ...(percent !== undefined && { percent }), elapsedMs, typical: !terminal }
  }
  const remainingMs = Math.round((elapsedMs * (100 - percent)) / percent)
  return { phase, percent, elapsedMs, remainingMs, typical: false }
}

/** "1:05" style duration. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
