import { z } from 'zod/mini'
import {
  ExportJob,
  Timeline,
  PRESET_SIZES,
  TERMINAL_JOB_STATUSES,
  type ApiError,
  type ExportPreset,
} from '../../shared/api/index.ts'

/**
 * Exports rendered on this device, kept beside the cloud jobs and shown in the same list. Each is
 * an `ExportJob` (so the job row, its progress line and the notification read it unchanged) whose
 * id starts with `job_here`; nothing here ever goes to the worker. Pure functions: the background
 * applies them to the storage item, the tests to plain lists.
 */
export const LocalRender = z.object({
  job: ExportJob,
  /** The completion or failure notification went out. */
  notified: z._default(z.boolean(), false),
  /** The audio codec the file has (aac, opus, mp3), for the row's hint. */
  audioCodec: z.optional(z.string()),
  size: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** The draft to render, kept until the render ends (the background may restart meanwhile). */
  timeline: z.optional(Timeline),
})
export type LocalRender = z.infer<typeof LocalRender>

export const LocalRenders = z.object({ renders: z.array(LocalRender) })
export type LocalRenders = z.infer<typeof LocalRenders>

export const LOCAL_JOB_PREFIX = 'job_here'

export const isLocalJobId = (jobId: string): boolean => jobId.startsWith(LOCAL_JOB_PREFIX)

const isRunning = (r: LocalRender) => !TERMINAL_JOB_STATUSES.has(r.job.status)

/** A new pending render of `preset`; `random` is 16+ letters and digits. */
export function newLocalJob(
  sessionId: string,
  preset: ExportPreset,
  title: string | undefined,
  now: Date,
  random: string,
): ExportJob {
  const at = now.toISOString()
  const { width, height } = PRESET_SIZES[preset]
  const name = (title?.trim() || 'PageReel').slice(0, 60)
  return {
    jobId: `${LOCAL_JOB_PREFIX}${random}`,
    sessionId,
    preset,
    width,
    height,
    status: 'pending',
    progress: 0,
    createdAt: at,
    updatedAt: at,
    fileName: `${name} ${preset.replace(':', 'x')}.mp4`,
  }
}

type Change = (r: LocalRender, at: string) => LocalRender

function change(list: LocalRenders, jobId: string, now: Date, fn: Change): LocalRenders {
  const at = now.toISOString()
  return { renders: list.renders.map((r) => (r.job.jobId === jobId ? fn(r, at) : r)) }
}

/** Progress of a running render (0-100); a finished one is left as it is. */
export function withProgress(list: LocalRenders, jobId: string, percent: number, now: Date) {
  return change(list, jobId, now, (r, at) =>
    isRunning(r)
      ? {
          ...r,
          job: {
            ...r.job,
            status: 'processing',
            progress: Math.min(99, Math.max(0, percent)),
            updatedAt: at,
          },
        }
      : r,
  )
}

export function withCompleted(
  list: LocalRenders,
  jobId: string,
  file: { size: number; audioCodec?: string | undefined },
  now: Date,
): LocalRenders {
  return change(list, jobId, now, (r, at) =>
    isRunning(r)
      ? {
          ...r,
          timeline: undefined,
          size: file.size,
          ...(file.audioCodec && { audioCodec: file.audioCodec }),
          job: { ...r.job, status: 'completed', progress: 100, updatedAt: at, completedAt: at },
        }
      : r,
  )
}

export function withFailed(
  list: LocalRenders,
  jobId: string,
  message: string,
  now: Date,
): LocalRenders {
  const error: ApiError = { code: 'render_failed', message, params: { where: 'here' } }
  return change(list, jobId, now, (r, at) =>
    isRunning(r)
      ? {
          ...r,
          timeline: undefined,
          job: { ...r.job, status: 'failed', error, updatedAt: at, completedAt: at },
        }
      : r,
  )
}

export function withCancelled(list: LocalRenders, jobId: string, now: Date): LocalRenders {
  return change(list, jobId, now, (r, at) =>
    isRunning(r)
      ? {
          ...r,
          notified: true,
          timeline: undefined,
          job: { ...r.job, status: 'cancelled', updatedAt: at, completedAt: at },
        }
      : r,
  )
}

const INTERRUPTED = 'The render stopped before it finished.'

/**
 * Started renders the renderer no longer has (the browser or the offscreen document went away)
 * fail instead of showing progress forever; pending ones wait for their turn.
 */
export function withInterrupted(
  list: LocalRenders,
  alive: ReadonlySet<string>,
  now: Date,
): LocalRenders {
  return list.renders
    .filter((r) => r.job.status === 'processing' && !alive.has(r.job.jobId))
    .reduce((acc, r) => withFailed(acc, r.job.jobId, INTERRUPTED, now), list)
}

/** Completed or failed renders whose notification is due, and the list with them marked. */
export function takeDueNotifications(list: LocalRenders): {
  list: LocalRenders
  due: ExportJob[]
} {
  const due: ExportJob[] = []
  const renders = list.renders.map((r) => {
    if (r.notified || (r.job.status !== 'completed' && r.job.status !== 'failed')) return r
    due.push(r.job)
    return { ...r, notified: true }
  })
  return { list: { renders }, due }
}

/** The oldest pending render, the next one to start (one at a time: the encoder is the cost). */
export function nextPending(list: LocalRenders): LocalRender | undefined {
  return list.renders.find((r) => r.job.status === 'pending')
}

/** Ids of renders whose files must go (removed from the list). */
export function withoutJob(list: LocalRenders, jobId: string): LocalRenders {
  return { renders: list.renders.filter((r) => r.job.jobId !== jobId) }
}
