import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { DownloadLink } from '../../shared/api/exports.ts'
import { copyKey } from '../../worker/exports/output-copy.ts'
import type { RenderJob } from '../../worker/exports/render-job.ts'
import { mp4Bytes } from '../simulator/mp4.ts'
import { api, logOf, register, sim } from './helpers.ts'
import {
  ageJob,
  alarmOf,
  disarmJobs,
  exportableSession,
  getJob,
  POLL_MS,
  renderingInstallation,
  startExport,
  stubOf,
} from './exports-fixtures.ts'

afterEach(disarmJobs)

const DAY = 24 * 3600_000

/** A job polled to completion (3 polls); the completing alarm copies its file into R2. */
async function completedJob(preset: '16:9' | '9:16' | '1:1' = '16:9') {
  const owner = await renderingInstallation()
  const job = await startExport(owner.key, await exportableSession(owner.key), preset)
  for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stubOf(job.jobId))
  return { ...owner, job: await getJob(owner.key, job.jobId) }
}

/** The backend's status URL of a job, as its object stored it. */
function outputUrlOf(jobId: string): Promise<string> {
  return runInDurableObject(stubOf(jobId), (_: RenderJob, state) =>
    String(state.storage.sql.exec('SELECT outputUrl FROM job').one()['outputUrl']),
  )
}

/** The backend's file link and token download stop working, as they do when its link expires. */
function backendFileGone(times = 5) {
  sim.control.fault({ kind: 'http', endpoint: 'files', status: 404, times })
  sim.control.fault({ kind: 'http', endpoint: 'render-download', status: 404, times })
}

describe('a finished video kept in R2', () => {
  it('is copied at completion, streamed with its length and owner, and served from R2 once the backend’s link has expired', async ({
    expect,
  }) => {
    const { key, installationId, job } = await completedJob('16:9')
    const expected = mp4Bytes(1920, 1080)
    const copy = await env.MEDIA.head(copyKey(job.jobId))
    expect(copy?.size).toBe(expected.length)
    expect(copy?.customMetadata).toEqual({ installationId, jobId: job.jobId })
    expect(copy?.httpMetadata?.contentType).toBe('video/mp4')

    backendFileGone()
    expect((await sim.fetch(new Request(await outputUrlOf(job.jobId)))).status).toBe(404)
    const before = sim.log.length
    const res = await api(paths.exportFile(job.jobId), {}, key)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('video/mp4')
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="${job.fileName}"`)
    expect(Number(res.headers.get('Content-Length'))).toBe(expected.length)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(expected)
    // Served by the worker alone: the backend was not asked.
    expect(sim.log.length).toBe(before)

    // A signed link (no Authorization) serves the copy too.
    const link = DownloadLink.parse(
      await (await api(paths.downloadLink(job.jobId), { method: 'POST' }, key)).json(),
    )
    const url = new URL(link.url)
    const viaLink = await api(`${url.pathname}${url.search}`)
    expect(viaLink.status).toBe(200)
    expect((await viaLink.arrayBuffer()).byteLength).toBe(expected.length)
    // Another installation still gets nothing, copy or not.
    const stranger = await register()
    expect((await api(paths.exportFile(job.jobId), {}, stranger.key)).status).toBe(404)
  })

  it('does not hold up `completed` when copying fails; the copy is retried by the job’s alarm and then kept', async ({
    expect,
  }) => {
    const owner = await renderingInstallation()
    const job = await startExport(owner.key, await exportableSession(owner.key), '9:16')
    const stub = stubOf(job.jobId)
    await runDurableObjectAlarm(stub)
    await runDurableObjectAlarm(stub)
    backendFileGone(1)
    await runDurableObjectAlarm(stub) // completes; the copy fails (both backend sources answer 404)
    expect((await getJob(owner.key, job.jobId)).status).toBe('completed')
    expect(await env.MEDIA.head(copyKey(job.jobId))).toBeNull()
    // The next wake is the copy's retry, one poll interval away, not the retention days ahead.
    const retryAt = (await alarmOf(job.jobId))! - Date.now()
    expect(retryAt).toBeGreaterThan(POLL_MS - 10_000)
    expect(retryAt).toBeLessThan(POLL_MS + 10_000)

    const before = sim.log.length
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await env.MEDIA.head(copyKey(job.jobId)))?.size).toBe(mp4Bytes(1080, 1920).length)
    expect(logOf('files', before)).toHaveLength(1)
    expect(logOf('render-status', before)).toHaveLength(0)
    expect((await alarmOf(job.jobId))! - Date.now()).toBeGreaterThan(6 * DAY)
    // Copied once: a further alarm (at least once delivery) copies nothing again.
    await runDurableObjectAlarm(stub)
    expect(logOf('files', before)).toHaveLength(1)
  })

  it('deletes the copy after EXPORT_COPY_TTL_MS in the retention alarm, then serves from the backend again; the job goes at its own time', async ({
    expect,
  }) => {
    const { key, job } = await completedJob('1:1')
    expect(await env.MEDIA.head(copyKey(job.jobId))).not.toBeNull()
    const copyDue = await runInDurableObject(stubOf(job.jobId), (_: RenderJob, state) =>
      Number(state.storage.sql.exec('SELECT expiresAt FROM output_copy').one()['expiresAt']),
    )
    // EXPORT_COPY_TTL_MS defaults to 7 days; the job's retention is not shorter.
    expect(copyDue - Date.now()).toBeGreaterThan(7 * DAY - 60_000)
    expect(await alarmOf(job.jobId)).toBeLessThanOrEqual(copyDue)

    // The copy's time is up, the job's not yet.
    await runInDurableObject(stubOf(job.jobId), (_: RenderJob, state) => {
      state.storage.sql.exec('UPDATE output_copy SET expiresAt = ?', Date.now() - 1000)
    })
    await ageJob(job.jobId, { updatedAt: Date.now() - 6 * DAY })
    expect(await runDurableObjectAlarm(stubOf(job.jobId))).toBe(true)
    expect(await env.MEDIA.head(copyKey(job.jobId))).toBeNull()
    expect((await getJob(key, job.jobId)).status).toBe('completed')
    const before = sim.log.length
    const res = await api(paths.exportFile(job.jobId), {}, key)
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(mp4Bytes(1080, 1080).length)
    expect(logOf('files', before)).toHaveLength(1)
    // Not copied again: the next wake is the job's own end, a day away.
    expect((await alarmOf(job.jobId))! - Date.now()).toBeGreaterThan(DAY - 60_000)

    await ageJob(job.jobId, { updatedAt: Date.now() - 8 * DAY })
    expect(await runDurableObjectAlarm(stubOf(job.jobId))).toBe(true)
    expect((await api(paths.exportJob(job.jobId), {}, key)).status).toBe(404)
  })

  it('deletes a copy still kept when the job itself is deleted', async ({ expect }) => {
    const { key, job } = await completedJob('9:16')
    expect(await env.MEDIA.head(copyKey(job.jobId))).not.toBeNull()
    await ageJob(job.jobId, { updatedAt: Date.now() - 8 * DAY })
    expect(await runDurableObjectAlarm(stubOf(job.jobId))).toBe(true)
    expect(await env.MEDIA.head(copyKey(job.jobId))).toBeNull()
    expect((await api(paths.exportJob(job.jobId), {}, key)).status).toBe(404)
    expect(await alarmOf(job.jobId)).toBeNull()
  })
})
