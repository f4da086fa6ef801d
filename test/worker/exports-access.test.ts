import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { DownloadLink } from '../../shared/api/exports.ts'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { signDownload } from '../../worker/exports/download-link.ts'
import { deriveJobId } from '../../worker/exports/job-id.ts'
import { copyKey } from '../../worker/exports/output-copy.ts'
import { api, json, logOf, recordOf, sim } from './helpers.ts'
import {
  ageJob,
  alarmOf,
  disarmJobs,
  exportableSession,
  getJob,
  renderingInstallation,
  startExport,
  stubOf,
} from './exports-fixtures.ts'

afterEach(disarmJobs)

const post = { method: 'POST' }

async function errorCode(res: Response): Promise<string> {
  return ErrorEnvelope.parse(await res.json()).error.code
}

/** An installation with a job rendered to completion (3 polls). */
async function finishedJob(preset: '16:9' | '9:16' | '1:1' = '9:16') {
  const owner = await renderingInstallation()
  const job = await startExport(owner.key, await exportableSession(owner.key), preset)
  for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stubOf(job.jobId))
  return { ...owner, job: await getJob(owner.key, job.jobId) }
}

/** `path?query` of a worker URL, for `api()`. */
const local = (url: string) => {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}

describe('the finished file', () => {
  it('streams through with the Authorization header: MP4 type, attachment name, length passed on', async ({
    expect,
  }) => {
    const { key, job } = await finishedJob('9:16')
    const res = await api(paths.exportFile(job.jobId), {}, key)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('video/mp4')
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="${job.fileName}"`)
    const body = new Uint8Array(await res.arrayBuffer())
    expect(Number(res.headers.get('Content-Length'))).toBe(body.length)
    expect(new TextDecoder().decode(body.slice(4, 8))).toBe('ftyp')
    expect(logOf('files').length).toBeGreaterThan(0)
  })

  it('falls back to the backend’s token-only download when the status URL no longer answers', async ({
    expect,
  }) => {
    const { key, job } = await finishedJob()
    // No R2 copy (past EXPORT_COPY_TTL_MS, or copying failed): the backend serves the file.
    await env.MEDIA.delete(copyKey(job.jobId))
    // A status URL that answers 404 (an expired CDN link): the worker asks the token download.
    await runInStub(job.jobId, `UPDATE job SET outputUrl = 'http://nemo.sim/files/gone.mp4'`)
    const before = sim.log.length
    const res = await api(paths.exportFile(job.jobId), {}, key)
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0)
    expect(logOf('render-download', before)).toHaveLength(1)
    expect(logOf('render-download', before)[0]!.headers['authorization']).toMatch(/^Bearer /)
  })

  it('answers job_not_finished while rendering and job_cancelled after a cancel', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const job = await startExport(key, await exportableSession(key))
    let res = await api(paths.exportFile(job.jobId), {}, key)
    expect(res.status).toBe(409)
    expect(await errorCode(res)).toBe('job_not_finished')
    res = await api(paths.downloadLink(job.jobId), post, key)
    expect(await errorCode(res)).toBe('job_not_finished')

    await api(paths.cancelExport(job.jobId), post, key)
    res = await api(paths.exportFile(job.jobId), {}, key)
    expect(res.status).toBe(409)
    expect(await errorCode(res)).toBe('job_cancelled')
  })
})

describe('signed download links', () => {
  it('work without the Authorization header for 5 minutes', async ({ expect }) => {
    const { key, job } = await finishedJob('16:9')
    const res = await api(paths.downloadLink(job.jobId), post, key)
    expect(res.status).toBe(200)
    const link = DownloadLink.parse(await res.json())
    const url = new URL(link.url)
    expect(url.pathname).toBe(paths.exportFile(job.jobId))
    expect(url.searchParams.get('sig')).toMatch(/^[0-9a-f]{64}$/)
    const ttl = Date.parse(link.expiresAt) - Date.now()
    expect(ttl).toBeGreaterThan(4 * 60_000)
    expect(ttl).toBeLessThanOrEqual(5 * 60_000)
    // The link carries neither the installation key nor a backend token.
    expect(link.url).not.toContain(key.split('.')[1])

    const file = await api(local(link.url))
    expect(file.status).toBe(200)
    expect(file.headers.get('Content-Type')).toBe('video/mp4')
    expect(file.headers.get('Content-Disposition')).toMatch(
      /filename="pagereel-\d{8}-\d{4}-16x9\.mp4"/,
    )
  })

  it('refuse a wrong, tampered or expired signature and another job’s signature', async ({
    expect,
  }) => {
    const { key, installationId, job } = await finishedJob()
    const link = DownloadLink.parse(
      await (await api(paths.downloadLink(job.jobId), post, key)).json(),
    )
    const good = new URL(link.url)
    const variant = (change: (q: URLSearchParams) => void) => {
      const u = new URL(good)
      change(u.searchParams)
      return local(u.toString())
    }
    const sig = good.searchParams.get('sig')!
    const refused = [
      variant((q) => q.set('sig', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1))),
      variant((q) => q.set('sig', 'not-hex')),
      variant((q) => q.set('exp', String(Number(q.get('exp')) + 60))),
      variant((q) => q.set('inst', 'inst_0000000000000000')),
      variant((q) => q.delete('inst')),
    ]
    for (const path of refused) {
      const res = await api(path)
      expect(res.status, path).toBe(404)
      expect(await errorCode(res)).toBe('not_found')
    }

    // Correctly signed, but already past its expiry.
    const secretHash = (await recordOf(installationId)).secretHash
    const past = Math.floor(Date.now() / 1000) - 1
    const expired = await signDownload(secretHash, job.jobId, installationId, past)
    const expiredPath = `${paths.exportFile(job.jobId)}?${new URLSearchParams({ inst: expired.inst, exp: String(past), sig: expired.sig })}`
    expect((await api(expiredPath)).status).toBe(404)

    // A valid signature for one job opens no other.
    const other = await finishedJob()
    const moved = `${paths.exportFile(other.job.jobId)}${good.search}`
    expect((await api(moved)).status).toBe(404)

    // No signature and no key: the guard refuses it.
    expect((await api(paths.exportFile(job.jobId))).status).toBe(401)
  })
})

describe('another installation’s job', () => {
  it('is not found for read, cancel, link and file, and is left untouched', async ({ expect }) => {
    const { key, job } = await finishedJob()
    const stranger = await renderingInstallation()
    for (const [path, init] of [
      [paths.exportJob(job.jobId), {}],
      [paths.cancelExport(job.jobId), post],
      [paths.downloadLink(job.jobId), post],
      [paths.exportFile(job.jobId), {}],
    ] as const) {
      const res = await api(path, init, stranger.key)
      expect(res.status, path).toBe(404)
      expect(await errorCode(res)).toBe('not_found')
    }
    expect((await getJob(key, job.jobId)).status).toBe('completed')
  })
})

describe('cancel', () => {
  it('cancels upstream, stops polling and leaves only the retention clean-up', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const job = await startExport(key, await exportableSession(key))
    const stub = stubOf(job.jobId)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const before = sim.log.length
    const res = await api(paths.cancelExport(job.jobId), post, key)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { status: string }).status).toBe('cancelled')
    expect(logOf('render-cancel', before)).toHaveLength(1)
    expect(logOf('render-cancel', before)[0]!.path).toContain(`render_${job.jobId}_1`)
    expect((await alarmOf(job.jobId))! - Date.now()).toBeGreaterThan(6 * 24 * 3600_000)

    // Whatever wakes the object now polls nothing, and a second cancel changes nothing.
    const after = sim.log.length
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await api(paths.cancelExport(job.jobId), post, key)).status).toBe(200)
    expect(sim.log.length).toBe(after)
    expect((await getJob(key, job.jobId)).status).toBe('cancelled')
  })

  it('cancels a render whose submit was still on its way when the user cancelled', async ({
    expect,
  }) => {
    const { key, installationId } = await renderingInstallation()
    const sessionId = await exportableSession(key)
    // The submit is held until the cancel has answered: a fixed delay (it was 400 ms) can run out
    // on a loaded machine before the poll and the cancel get through, and the cancel then meets a
    // job whose submit already came back, which is another case.
    // Flags polled on each side, not promises: a promise resolved from the object's context would
    // carry the test on in that context, where the test's own requests cannot be read.
    let submitWaiting = false
    let released = false
    const tick = () => new Promise((resolve) => setTimeout(resolve, 10))
    const inner = globalThis.fetch
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      if (
        request.method === 'POST' &&
        new URL(request.url).pathname === '/api/render/proxy/lambda'
      ) {
        submitWaiting = true
        // Held until the test lets go (a minute at most, so a failing test does not hang).
        for (let waited = 0; !released && waited < 60_000; waited += 10) await tick()
      }
      return inner(request)
    })
    try {
      const idempotencyKey = `slow-submit-${crypto.randomUUID().slice(0, 8)}`
      const jobId = await deriveJobId(installationId, idempotencyKey)
      const created = api(
        paths.createExport(sessionId),
        json('POST', { preset: '1:1', idempotencyKey }),
        key,
      )
      // The job's row is written before the submit goes out: it reads as pending meanwhile.
      while (!submitWaiting) await tick()
      const pending = await api(paths.exportJob(jobId), {}, key)
      expect(pending.status).toBe(200)
      expect(((await pending.json()) as { status: string }).status).toBe('pending')
      const cancel = await api(paths.cancelExport(jobId), post, key)
      expect(((await cancel.json()) as { status: string }).status).toBe('cancelled')
      released = true

      const answer = await created
      expect(answer.status).toBe(202)
      expect(((await answer.json()) as { status: string }).status).toBe('cancelled')
      const render = sim.control.renders().find((r) => r.id === `render_${jobId}_1`)
      expect(render?.cancelled).toBe(true)
      await disarm(jobId)
    } finally {
      released = true
      // Back to the suite's own stub (setup.ts), which routes the simulator.
      vi.stubGlobal('fetch', inner)
    }
  })

  it('leaves a completed job completed', async ({ expect }) => {
    const { key, job } = await finishedJob()
    const before = sim.log.length
    const res = await api(paths.cancelExport(job.jobId), post, key)
    expect(((await res.json()) as { status: string }).status).toBe('completed')
    expect(logOf('render-cancel', before)).toHaveLength(0)
  })
})

describe('unknown jobs', () => {
  it('are not found, and reading one leaves no storage behind', async ({ expect }) => {
    const { key } = await renderingInstallation()
    const jobId = `job_${'0123456789abcdef'.repeat(2)}`
    const res = await api(paths.exportJob(jobId), {}, key)
    expect(res.status).toBe(404)
    expect(await errorCode(res)).toBe('not_found')
    expect((await api(paths.cancelExport(jobId), post, key)).status).toBe(404)
    expect(await tablesOf(jobId)).toEqual([])
  })
})

describe('retention', () => {
  it('deletes a finished job a week after it finished', async ({ expect }) => {
    const { key, job } = await finishedJob()
    expect(await tablesOf(job.jobId)).toEqual(['job', 'output_copy'])
    await ageJob(job.jobId, { updatedAt: Date.now() - 8 * 24 * 3600_000 })
    expect(await runDurableObjectAlarm(stubOf(job.jobId))).toBe(true)
    expect((await api(paths.exportJob(job.jobId), {}, key)).status).toBe(404)
    expect(await alarmOf(job.jobId)).toBeNull()
    expect(await tablesOf(job.jobId)).toEqual([])
    const list = (await (await api(paths.exports, {}, key)).json()) as { jobs: unknown[] }
    expect(list.jobs).toEqual([])
  })
})

async function runInStub(jobId: string, sql: string): Promise<void> {
  await runInDurableObject(stubOf(jobId), (_, state) => {
    state.storage.sql.exec(sql)
  })
}

async function tablesOf(jobId: string): Promise<string[]> {
  return runInDurableObject(stubOf(jobId), (_, state) =>
    state.storage.sql
      .exec<{ name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'`,
      )
      .toArray()
      .map((row) => row.name),
  )
}

async function disarm(jobId: string): Promise<void> {
  await runInDurableObject(stubOf(jobId), (_, state) => state.storage.deleteAlarm())
}
