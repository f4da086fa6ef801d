import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, it } from 'vitest'
import { ExportJobList, PRESET_SIZES } from '../../shared/api/exports.ts'
import { paths } from '../../shared/api/routes.ts'
import { api, json, logOf, openSession, sim } from './helpers.ts'
import {
  alarmOf,
  clickKey,
  disarmJobs,
  exportableSession,
  getJob,
  POLL_MS,
  renderingInstallation,
  startExport,
  stubOf,
} from './exports-fixtures.ts'

afterEach(disarmJobs)

describe('an export from click to file', () => {
  it('submits the draft in the preset frame, polls through alarms to completion, and reads cost nothing', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const sessionId = await exportableSession(key)
    const before = sim.log.length

    const job = await startExport(key, sessionId, '9:16')
    expect(job).toMatchObject({
      sessionId,
      preset: '9:16',
      width: 1080,
      height: 1920,
      status: 'pending',
    })
    const submits = logOf('render-submit', before)
    expect(submits).toHaveLength(1)
    const submitted = submits[0]!
    expect(submitted.attribution).toBe(true)
    expect(submitted.headers['authorization']).toMatch(/^Bearer /)
    expect(submitted.body).toMatchObject({
      id: expect.stringMatching(new RegExp(`^render_${job.jobId}_1$`)),
      output: { format: 'mp4', quality: 'high' },
      draft: { m: PRESET_SIZES['9:16'] },
    })
    expect(
      (submitted.body as { draft: { t: Array<{ sg: unknown[] }> } }).draft.t.some(
        (t) => t.sg.length > 0,
      ),
    ).toBe(true)
    // The job polls on its own schedule: the alarm lies one interval ahead.
    expect((await alarmOf(job.jobId))! - Date.now()).toBeGreaterThan(POLL_MS - 10_000)

    const stub = stubOf(job.jobId)
    expect(await runDurableObjectAlarm(stub)).toBe(true) // poll 1 of 3: pending
    expect(await runDurableObjectAlarm(stub)).toBe(true) // poll 2 of 3: processing, half way
    const halfway = await getJob(key, job.jobId)
    expect(halfway.status).toBe('processing')
    expect(halfway.progress).toBe(50)
    expect(await runDurableObjectAlarm(stub)).toBe(true) // poll 3 of 3: completed
    expect(logOf('render-status', before)).toHaveLength(3)

    const readsFrom = sim.log.length
    const done = await getJob(key, job.jobId)
    expect(done).toMatchObject({
      status: 'completed',
      progress: 100,
      fileUrl: paths.exportFile(job.jobId),
    })
    expect(done.fileName).toMatch(/^pagereel-\d{8}-\d{4}-9x16\.mp4$/)
    expect(done.completedAt).toBeDefined()
    const list = ExportJobList.parse(await (await api(paths.exports, {}, key)).json())
    expect(list.jobs.map((j) => j.jobId)).toEqual([job.jobId])
    // Status reads and the list are answered from the objects' storage, never from the backend.
    expect(sim.log.length).toBe(readsFrom)

    // Finished: the only alarm left is the retention clean-up, days away; it polls nothing.
    expect((await alarmOf(job.jobId))! - Date.now()).toBeGreaterThan(6 * 24 * 3600_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(sim.log.length).toBe(readsFrom)
    expect((await getJob(key, job.jobId)).status).toBe('completed')
  })

  it('keeps its state when the object is evicted between alarms', async ({ expect }) => {
    const { key } = await renderingInstallation()
    const job = await startExport(key, await exportableSession(key), '1:1')
    const stub = stubOf(job.jobId)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    await evictDurableObject(stub)
    expect(await getJob(key, job.jobId)).toMatchObject({
      status: 'pending',
      width: 1080,
      height: 1080,
    })
    await evictDurableObject(stub)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    await evictDurableObject(stub)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await getJob(key, job.jobId)).status).toBe('completed')
  })

  it('lists the installation’s jobs newest first and nobody else’s', async ({ expect }) => {
    const a = await renderingInstallation()
    const b = await renderingInstallation()
    const session = await exportableSession(a.key)
    const first = await startExport(a.key, session, '16:9')
    await new Promise((r) => setTimeout(r, 5))
    const second = await startExport(a.key, session, '1:1')
    await startExport(b.key, await exportableSession(b.key), '9:16')
    const list = ExportJobList.parse(await (await api(paths.exports, {}, a.key)).json())
    expect(list.jobs.map((j) => j.jobId)).toEqual([second.jobId, first.jobId])
  })
})

describe('idempotent creation', () => {
  it('renders once for two concurrent clicks with the same key', async ({ expect }) => {
    const { key } = await renderingInstallation()
    const sessionId = await exportableSession(key)
    const before = sim.log.length
    const idempotencyKey = clickKey()
    const [one, two] = await Promise.all([
      startExport(key, sessionId, '16:9', idempotencyKey),
      startExport(key, sessionId, '16:9', idempotencyKey),
    ])
    expect(one.jobId).toBe(two.jobId)
    expect(logOf('render-submit', before)).toHaveLength(1)

    // A later retry, even one naming another preset, answers the job the key started.
    const again = await startExport(key, sessionId, '1:1', idempotencyKey)
    expect(again).toMatchObject({ jobId: one.jobId, preset: '16:9', width: 1920, height: 1080 })
    expect(logOf('render-submit', before)).toHaveLength(1)
    const list = ExportJobList.parse(await (await api(paths.exports, {}, key)).json())
    expect(list.jobs).toHaveLength(1)

    // A new click is a new job.
    const other = await startExport(key, sessionId, '16:9')
    expect(other.jobId).not.toBe(one.jobId)
    expect(logOf('render-submit', before)).toHaveLength(2)
  })

  it('answers not_found for another installation’s session and submits nothing', async ({
    expect,
  }) => {
    const owner = await renderingInstallation()
    const stranger = await renderingInstallation()
    const sessionId = await exportableSession(owner.key)
    const before = sim.log.length
    const res = await api(
      paths.createExport(sessionId),
      json('POST', { preset: '9:16', idempotencyKey: clickKey() }),
      stranger.key,
    )
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    expect(logOf('render-submit', before)).toHaveLength(0)
  })

  it('refuses an empty draft with not_exportable and submits nothing', async ({ expect }) => {
    const { key } = await renderingInstallation()
    const sessionId = await openSession(key)
    const before = sim.log.length
    const res = await api(
      paths.createExport(sessionId),
      json('POST', { preset: '9:16', idempotencyKey: clickKey() }),
      key,
    )
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_exportable')
    expect(logOf('render-submit', before)).toHaveLength(0)
  })
})
