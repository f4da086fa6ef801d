import { browser } from 'wxt/browser'
import { TERMINAL_JOB_STATUSES, type ExportJob } from '../../shared/api/index.ts'
import { ApiRequestError, type WorkerClient } from '../utils/api/index.ts'
import { notifyCompleted, notifyFailed } from './job-notifications.ts'
import { jobsItem, type FollowedJobs } from '../utils/storage.ts'

/** The one alarm that polls the worker while jobs run; 30 s is the packed-extension minimum. */
export const JOBS_ALARM = 'pagereel-jobs'
const PERIOD_MINUTES = 0.5

const isPending = (job: ExportJob) => !TERMINAL_JOB_STATUSES.has(job.status)

export function pendingJobIds(followed: FollowedJobs): string[] {
  return followed.jobs.filter((j) => isPending(j.job)).map((j) => j.job.jobId)
}

/**
 * Creates the alarm while jobs are pending and clears it once none are. Called on every
 * background start: alarms may not survive a browser restart (Firefox never keeps them).
 */
export async function syncJobsAlarm(): Promise<void> {
  const pending = pendingJobIds(await jobsItem.getValue())
  if (!pending.length) {
    await browser.alarms.clear(JOBS_ALARM)
    return
  }
  if (!(await browser.alarms.get(JOBS_ALARM))) {
    await browser.alarms.create(JOBS_ALARM, {
      periodInMinutes: PERIOD_MINUTES,
      delayInMinutes: PERIOD_MINUTES,
    })
  }
}

/** Shows how many exports are running on the toolbar icon; nothing at zero. */
export async function updateBadge(followed?: FollowedJobs): Promise<void> {
  const n = pendingJobIds(followed ?? (await jobsItem.getValue())).length
  await browser.action.setBadgeText({ text: n ? String(n) : '' })
  if (n) await browser.action.setBadgeBackgroundColor({ color: '#2f6fed' }).catch(() => {})
}

/** Starts following jobs the UI just created, and checks them at once. */
export async function followJobs(jobs: readonly ExportJob[], api: WorkerClient): Promise<void> {
  await jobsItem.update((f) => {
    // A job followed already keeps its entry: it must not be notified twice.
    const known = new Set(f.jobs.map((j) => j.job.jobId))
    return {
      jobs: [
        ...f.jobs,
        ...jobs.filter((j) => !known.has(j.jobId)).map((job) => ({ job, notified: false })),
      ],
    }
  })
  await pollJobs(api)
}

let polling: Promise<void> | undefined

/**
 * One check of every pending job through the worker (never the backend): stores the new
 * snapshots, notifies each job that just completed or failed once, updates the badge and the
 * alarm. Concurrent calls (an alarm tick during a message) share one run.
 */
export function pollJobs(api: WorkerClient): Promise<void> {
  polling ??= pollOnce(api).finally(() => {
    polling = undefined
  })
  return polling
}

async function pollOnce(api: WorkerClient): Promise<void> {
  const before = await jobsItem.getValue()
  const updates = new Map<string, ExportJob>()
  for (const id of pendingJobIds(before)) {
    try {
      updates.set(id, await api.getExport(id))
    } catch (err) {
      // An unknown job (another installation's, or purged) stops being followed; anything else
      // (offline, worker busy) waits for the next tick.
      if (err instanceof ApiRequestError && err.status === 404) {
        const old = before.jobs.find((j) => j.job.jobId === id)!.job
        updates.set(id, {
          ...old,
          status: 'failed',
          error: err.error,
          updatedAt: new Date().toISOString(),
        })
      }
    }
  }
  const toNotify: ExportJob[] = []
  const after = await jobsItem.update((f) => ({
    jobs: f.jobs.map((entry) => {
      const job = updates.get(entry.job.jobId) ?? entry.job
      const due = !entry.notified && (job.status === 'completed' || job.status === 'failed')
      if (due) toNotify.push(job)
      return { job, notified: entry.notified || due || job.status === 'cancelled' }
    }),
  }))
  for (const job of toNotify) {
    await (job.status === 'completed' ? notifyCompleted(job) : notifyFailed(job)).catch(() => {})
  }
  await updateBadge(after)
  await syncJobsAlarm()
}
