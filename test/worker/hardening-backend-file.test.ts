import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, it, vi } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { copyKey } from '../../worker/exports/output-copy.ts'
import { api, logOf, sim } from './helpers.ts'
import {
  disarmJobs,
  exportableSession,
  getJob,
  renderingInstallation,
  startExport,
  stubOf,
} from './exports-fixtures.ts'

/**
 * Issue 11, item 7: the render answer's file URL is fetched with a timeout, from the backend's
 * hosts only (BACKEND_FILE_HOSTS besides the backend's own), and every redirect is checked before
 * it is followed; anything else goes to the backend's token download.
 */

/** Every URL the isolate fetched; a redirect is followed the way a real fetch does unless 'manual'. */
let fetched: string[] = []
let inner: typeof fetch
const REDIRECTING = 'http://nemo.sim/files/moved.mp4'

beforeEach(() => {
  fetched = []
  inner = globalThis.fetch
  vi.stubGlobal(
    'fetch',
    async function recording(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const request = new Request(input, init)
      fetched.push(request.url)
      if (request.url === REDIRECTING) {
        const moved = new Response(null, {
          status: 302,
          headers: { Location: 'http://169.254.169.254/latest/meta-data' },
        })
        if (init?.redirect === 'manual') return moved
        return recording('http://169.254.169.254/latest/meta-data', { signal: request.signal })
      }
      if (!request.url.startsWith('http://nemo.sim/'))
        return new Response('not the backend', { status: 200 })
      return inner(input, init)
    },
  )
})

afterEach(async () => {
  // Back to the suite's own stub (setup.ts), which routes the simulator.
  vi.stubGlobal('fetch', inner)
  await disarmJobs()
})

/** A finished job whose R2 copy is gone and whose output URL is `outputUrl`. */
async function finishedJobAt(outputUrl: string) {
  const owner = await renderingInstallation()
  const job = await startExport(owner.key, await exportableSession(owner.key))
  for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stubOf(job.jobId))
  await getJob(owner.key, job.jobId)
  await env.MEDIA.delete(copyKey(job.jobId))
  await runInDurableObject(stubOf(job.jobId), (_, state) => {
    state.storage.sql.exec('UPDATE job SET outputUrl = ?', outputUrl)
  })
  return { key: owner.key, jobId: job.jobId }
}

async function download(key: string, jobId: string) {
  const before = sim.log.length
  const res = await api(paths.exportFile(jobId), {}, key)
  const size = (await res.arrayBuffer()).byteLength
  return { status: res.status, size, viaToken: logOf('render-download', before).length }
}

describe('the backend file fetch (issue 11, item 7)', () => {
  it('does not fetch a file URL on a host that is not the backend’s', async ({ expect }) => {
    const { key, jobId } = await finishedJobAt('https://files.elsewhere.example/x.mp4')
    const got = await download(key, jobId)
    expect(got).toMatchObject({ status: 200, viaToken: 1 })
    expect(fetched.some((u) => u.includes('elsewhere.example'))).toBe(false)
  })

  it('checks a redirect before following it', async ({ expect }) => {
    const { key, jobId } = await finishedJobAt(REDIRECTING)
    const got = await download(key, jobId)
    expect(got).toMatchObject({ status: 200, viaToken: 1 })
    expect(fetched).toContain(REDIRECTING)
    expect(fetched.some((u) => u.startsWith('http://169.254.169.254'))).toBe(false)
  })

  it('gives up on a file URL that does not answer in time, and uses the token download', async ({
    expect,
  }) => {
    const { key, jobId } = await finishedJobAt('http://nemo.sim/files/slow.mp4')
    sim.control.fault({ kind: 'slow', endpoint: 'files', delayMs: 5000 })
    const got = await download(key, jobId)
    expect(got.status).toBe(200)
    expect(got.size).toBeGreaterThan(0)
    expect(got.viaToken).toBe(1)
  })
})
