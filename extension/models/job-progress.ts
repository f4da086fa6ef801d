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
  /** `percent` and `remainingMs` are an estimate from past exports, not the backend's figure. */
  estimated?: boolean
}

/** How long this installation's own exports took: the median of the finished ones. */
export interface RenderHistory {
  typicalMs: number
  /** How many finished exports the estimate is made from. */
  count: number
}

/** Fewer finished exports than this say too little about the next one. */
const MIN_HISTORY = 2

/**
 * The typical render time of the given jobs (the median, from creation to completion, of the
 * completed ones), or undefined with too few of them.
 */
export function renderHistory(jobs: readonly ExportJob[]): RenderHistory | undefined {
  const took = jobs
    .filter((j) => j.status === 'completed' && j.completedAt)
    .map((j) => Date.parse(j.completedAt!) - Date.parse(j.createdAt))
    .filter((ms) => Number.isFinite(ms) && ms > 0)
    .sort((a, b) => a - b)
  if (took.length < MIN_HISTORY) return undefined
  const mid = took.length >> 1
  const typicalMs = took.length % 2 ? took[mid]! : Math.round((took[mid - 1]! + took[mid]!) / 2)
  return { typicalMs, count: took.length }
}

/**
 * One honest line for a job across both phases: the chat run still editing its project, then the
 * render's own stage, percentage and elapsed time, with an estimate only where one can be made.
 */
export function jobProgress(
  job: ExportJob,
  nowMs: number,
  editing: boolean,
  history?: RenderHistory,
): JobProgress {
  const terminal = TERMINAL_JOB_STATUSES.has(job.status)
  const end = terminal ? Date.parse(job.completedAt ?? job.updatedAt) : nowMs
  const elapsedMs = Math.max(0, end - Date.parse(job.createdAt))
  const phase = editing && job.status === 'pending' ? 'editing' : job.status
  const percent = job.progress
  if (!terminal && phase !== 'editing' && history && (percent === undefined || percent <= 0)) {
    // No figure from the backend: this installation's own past renders, said to be an estimate.
    const estimate = Math.min(95, (elapsedMs / history.typicalMs) * 100)
    const remainingMs = Math.max(0, history.typicalMs - elapsedMs)
    return { phase, percent: estimate, elapsedMs, remainingMs, typical: false, estimated: true }
  }
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
