import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, it } from 'vitest'
import { SIM_ORIGIN, logOf, sim } from './helpers.ts'
import {
  ageJob,
  disarmJobs,
  exportableSession,
  getJob,
  MAX_AGE_MS,
  nextWakeInPolls,
  renderingInstallation,
  startExport,
  stubOf,
} from './exports-fixtures.ts'

/**
 * Export jobs under the platform's real conditions: alarms whose backend call throws (a network
 * error, not an answer), an object evicted between any two alarms, and the hard age limit while
 * the backend stays down. What exists elsewhere (5xx backoff, unknown-fate submits, eviction of a
 * healthy job) is in exports-*.test.ts.
 */

afterEach(disarmJobs)

/**
 * Makes the next `times` backend calls to `path` fail as a dropped connection does: fetch itself
 * throws. Restored when used up, and by `restore()`.
 */
function failNetwork(path: RegExp, times: number) {
  const through = globalThis.fetch
  let left = times
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (left > 0 && url.origin === SIM_ORIGIN && path.test(url.pathname)) {
      left -= 1
      throw new TypeError('Network connection lost.')
    }
    return through(input, init)
  }) as typeof fetch
  return {
    left: () => left,
    restore: () => {
      globalThis.fetch = through
    },
  }
}

describe('a render job whose backend calls throw', () => {
  it('counts the failures itself, backs off, survives evictions in between, and completes', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const job = await startExport(key, await exportableSession(key))
    const stub = stubOf(job.jobId)
    const network = failNetwork(/^\/api\/render\/proxy\/lambda\/[^/]+$/, 3)
    try {
      for (const expected of [1, 2, 4]) {
        // The alarm handler never lets the error out: a thrown alarm would be retried by the
        // platform only six times, after which polling would stop for good.
        expect(await runDurableObjectAlarm(stub)).toBe(true)
        expect(await nextWakeInPolls(job.jobId)).toBe(expected)
        expect((await getJob(key, job.jobId)).status).toBe('pending')
        await evictDurableObject(stub)
      }
      expect(network.left()).toBe(0)
    } finally {
      network.restore()
    }
    const before = sim.log.length
    for (let i = 0; i < 3; i += 1) expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await getJob(key, job.jobId)).toMatchObject({ status: 'completed', progress: 100 })
    // Polling went on from where it was: three polls, one render, never a second submit.
    expect(logOf('render-status', before)).toHaveLength(3)
    expect(logOf('render-submit', before)).toHaveLength(0)
    expect(sim.control.renders().filter((r) => r.id.includes(job.jobId))).toHaveLength(1)
  })

  it('whose submit throws before the backend has it is submitted once more, under the same id', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const sessionId = await exportableSession(key)
    const network = failNetwork(/^\/api\/render\/proxy\/lambda$/, 1)
    let job
    try {
      job = await startExport(key, sessionId)
    } finally {
      network.restore()
    }
    // The click was answered with a pending job, not an error: the alarm takes it from here.
    expect(job.status).toBe('pending')
    const stub = stubOf(job.jobId)
    const before = sim.log.length
    await evictDurableObject(stub)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const submits = logOf('render-submit', before)
    expect(submits).toHaveLength(1)
    expect((submits[0]!.body as { id: string }).id).toBe(`render_${job.jobId}_1`)
    for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stub)
    expect((await getJob(key, job.jobId)).status).toBe('completed')
  })
})

describe('the hard age limit', () => {
  it('stops a job whose backend stays down: failed with its reason, and no poll after it', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const job = await startExport(key, await exportableSession(key))
    const stub = stubOf(job.jobId)
    sim.control.fault({ kind: 'http', endpoint: 'render-status', status: 503, times: 100 })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await getJob(key, job.jobId)).status).toBe('pending')

    await ageJob(job.jobId, { createdAt: Date.now() - MAX_AGE_MS - 1 })
    await evictDurableObject(stub)
    const before = sim.log.length
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const failed = await getJob(key, job.jobId)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatchObject({
      code: 'render_failed',
      params: { reason: 'took_too_long' },
    })
    expect(logOf('render-status', before)).toHaveLength(0)

    // Whatever alarms still come (at least once), the job asks the backend nothing more.
    const after = sim.log.length
    for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stub)
    expect(sim.log.length).toBe(after)
    expect((await getJob(key, job.jobId)).status).toBe('failed')
    expect(await nextWakeInPolls(job.jobId)).toBeGreaterThan(900)
  })
})
