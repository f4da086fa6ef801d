import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { ExportJob } from '../../shared/api/exports.ts'
import { paths } from '../../shared/api/routes.ts'
import { jobStub } from '../../worker/exports/job-stub.ts'
import type { RenderJob } from '../../worker/exports/render-job.ts'
import { api, json, openSession, register, sim } from './helpers.ts'

/** A registered installation whose anonymous token may render (the simulator blocks it by default). */
export async function renderingInstallation() {
  sim.control.configure({
    anonymousRenderBlocked: false,
    render: { mode: 'polls', pollsToComplete: 3 },
    statusShape: 'rotate',
  })
  const created = await register()
  return { installationId: created.installationId, key: created.key }
}

/** A session whose draft has a video segment (one media URL uploaded through the worker). */
export async function exportableSession(key: string): Promise<string> {
  const sessionId = await openSession(key)
  const res = await api(
    paths.uploadUrls(sessionId),
    json('POST', { urls: ['https://cdn.example.com/clips/city.mp4'] }),
    key,
  )
  if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${await res.text()}`)
  return sessionId
}

let keyCounter = 0
/** A fresh idempotency key, as the extension makes one per click. */
export function clickKey(): string {
  keyCounter += 1
  return `click-${crypto.randomUUID().slice(0, 8)}-${keyCounter}`
}

const touched = new Set<string>()

/** POST createExport; the parsed job on 202, else throws with the answer. */
export async function startExport(
  key: string,
  sessionId: string,
  preset: '16:9' | '9:16' | '1:1' = '9:16',
  idempotencyKey = clickKey(),
) {
  const res = await api(
    paths.createExport(sessionId),
    json('POST', { preset, idempotencyKey }),
    key,
  )
  if (res.status !== 202)
    throw new Error(`create export answered ${res.status}: ${await res.text()}`)
  const job = ExportJob.parse(await res.json())
  touched.add(job.jobId)
  return job
}

/**
 * Deletes the alarms of every job a test started: alarms outlive a test (storage is per file),
 * and one left armed could fire in the middle of a later test.
 */
export async function disarmJobs(): Promise<void> {
  for (const jobId of touched) {
    await runInDurableObject(stubOf(jobId), (_: RenderJob, state) => state.storage.deleteAlarm())
  }
  touched.clear()
}

export async function getJob(key: string, jobId: string) {
  const res = await api(paths.exportJob(jobId), {}, key)
  if (res.status !== 200) throw new Error(`job read answered ${res.status}: ${await res.text()}`)
  return ExportJob.parse(await res.json())
}

export const stubOf = (jobId: string) => jobStub(env, jobId)

/** When the job's object will next wake up (null: no alarm). */
export function alarmOf(jobId: string): Promise<number | null> {
  return runInDurableObject(stubOf(jobId), (_: RenderJob, state) => state.storage.getAlarm())
}

/** RENDER_POLL_INTERVAL_MS and RENDER_MAX_AGE_MS as test/worker/vitest.config.ts sets them. */
export const POLL_MS = 600_000
export const MAX_AGE_MS = 3_600_000

/** The delay the object's next alarm lies ahead, to the nearest poll interval multiple. */
export async function nextWakeInPolls(jobId: string): Promise<number> {
  const at = await alarmOf(jobId)
  if (at === null) throw new Error('no alarm armed')
  return Math.round((at - Date.now()) / POLL_MS)
}

/** Rewrites stored times, to stand in for hours or days passing. */
export function ageJob(
  jobId: string,
  fields: { createdAt?: number; updatedAt?: number },
): Promise<void> {
  return runInDurableObject(stubOf(jobId), (_: RenderJob, state) => {
    for (const [column, value] of Object.entries(fields)) {
      state.storage.sql.exec(`UPDATE job SET ${column} = ?`, value)
    }
  })
}
