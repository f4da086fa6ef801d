/**
 * Upload streaming: multipart bodies of 10 MB and of UPLOAD_MAX_BYTES (wrangler.toml, 100 MB, the
 * largest the worker accepts), generated as a stream and sent through the worker in workerd to the
 * simulator. `wrangler dev` runs two workerd processes, both on the body's path: its dev proxy
 * (which holds the public port) and the worker itself. Each one's resident memory is read from
 * /proc: VmHWM is reset before each upload (clear_refs) so after it VmHWM − VmRSS(before) is the
 * upload's peak growth, with 20 ms RSS samples as a cross-check where the kernel refuses the reset.
 * The figure is the sum of both growths (an upper bound for the worker alone, which the detail
 * gives). Flat means the peak does not grow with the body: 10 MB and 100 MB are compared.
 * @module
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { paths } from '../../shared/api/routes.ts'
import type { Figure } from './figures.ts'
import { multipartOfSize } from './multipart-stream.ts'
import { descendantsNamed, memoryOf, resetPeak } from './process-memory.ts'
import type { RunningSimulator } from '../../test/simulator/serve.ts'
import { round } from './stats.ts'
import { registerInstallation } from '../lib/worker-api.ts'

const MB = 1024 * 1024
const TARGET_GROWTH = 32 * MB

/** UPLOAD_MAX_BYTES as the measured source's wrangler.toml sets it. */
export function uploadMaxBytes(src: string): number {
  const toml = readFileSync(join(src, 'wrangler.toml'), 'utf8')
  const value = /^UPLOAD_MAX_BYTES\s*=\s*"(\d+)"/m.exec(toml)?.[1]
  if (!value) throw new Error('UPLOAD_MAX_BYTES not found in wrangler.toml')
  return Number(value)
}

interface UploadRun {
  bytes: number
  /** Summed over the workerd processes. */
  growth: number
  /** Per pid. */
  growths: Map<number, number>
  seconds: number
  received: number
}

export async function benchUpload(
  workerUrl: string,
  sim: RunningSimulator,
  src: string,
): Promise<Figure[]> {
  const pids = await descendantsNamed('workerd')
  if (pids.length === 0) throw new Error('no workerd process found under this one')
  const port = new URL(workerUrl).port
  const isProxy = (pid: number) =>
    readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`entry=127.0.0.1:${port}`)
  const inst = await registerInstallation(workerUrl, { address: '198.51.100.200' })
  const { sessionId } = await inst.createSession('en')
  const max = uploadMaxBytes(src)
  const runs: UploadRun[] = []
  // A first small upload warms the route, so the 10 MB figure is not workerd's first-use cost.
  await upload(workerUrl, inst, sessionId, pids, 1 * MB, sim)
  for (const bytes of [10 * MB, max])
    runs.push(await upload(workerUrl, inst, sessionId, pids, bytes, sim))
  const big = runs.at(-1)!
  const small = runs[0]!
  const mb = (n: number) => round(n / MB)
  const split = (r: UploadRun) =>
    [...r.growths]
      .map(([pid, g]) => `${isProxy(pid) ? 'dev proxy' : 'worker'} ${mb(g)} MB`)
      .join(' + ')
  return [
    {
      name: `upload: workerd peak memory growth, ${mb(big.bytes)} MB body`,
      value: mb(big.growth),
      unit: 'MB',
      target: '< 32 MB, flat',
      met: big.growth < TARGET_GROWTH && big.growth < small.growth + 16 * MB,
      detail:
        `${split(big)}; ${mb(small.growth)} MB at ${mb(small.bytes)} MB; growth/body ${round(big.growth / big.bytes)} ` +
        `(${mb(big.bytes)} MB in ${round(big.seconds)} s, ${round(big.bytes / MB / big.seconds)} MB/s; ` +
        `simulator read ${mb(big.received)} MB of the file)`,
    },
    {
      name: `upload: workerd peak memory growth, ${mb(small.bytes)} MB body`,
      value: mb(small.growth),
      unit: 'MB',
      target: '< 32 MB',
      met: small.growth < TARGET_GROWTH,
      detail: `${split(small)}; ${mb(small.bytes)} MB in ${round(small.seconds)} s`,
    },
  ]
}

async function upload(
  workerUrl: string,
  inst: { key: string },
  sessionId: string,
  pids: number[],
  bytes: number,
  sim: RunningSimulator,
): Promise<UploadRun> {
  await new Promise((r) => setTimeout(r, 500))
  const before = new Map<number, { rss: number; hwm: number }>()
  const resets = new Map<number, boolean>()
  const sampled = new Map<number, number>()
  for (const pid of pids) {
    before.set(pid, await memoryOf(pid))
    resets.set(pid, await resetPeak(pid))
    sampled.set(pid, before.get(pid)!.rss)
  }
  const sampler = setInterval(() => {
    for (const pid of pids) {
      void memoryOf(pid).then(
        (m) => sampled.set(pid, Math.max(sampled.get(pid)!, m.rss)),
        () => undefined,
      )
    }
  }, 20)
  const t0 = performance.now()
  try {
    const { body, contentType, contentLength } = multipartOfSize(bytes)
    const res = await fetch(workerUrl + paths.uploads(sessionId), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${inst.key}`,
        'content-type': contentType,
        'content-length': String(contentLength),
      },
      body,
      duplex: 'half',
      signal: AbortSignal.timeout(120_000),
    } as RequestInit)
    if (!res.ok) throw new Error(`upload of ${bytes} bytes: ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
  } finally {
    clearInterval(sampler)
  }
  const seconds = (performance.now() - t0) / 1000
  const growths = new Map<number, number>()
  for (const pid of pids) {
    const after = await memoryOf(pid)
    const peak = Math.max(sampled.get(pid)!, resets.get(pid) ? after.hwm : 0, after.rss)
    growths.set(pid, peak - before.get(pid)!.rss)
  }
  const log = await sim.log('upload')
  const received = (log.at(-1) as { uploadBytes?: number } | undefined)?.uploadBytes ?? 0
  if (received < bytes * 0.99) throw new Error(`the simulator read ${received} of ${bytes} bytes`)
  const growth = [...growths.values()].reduce((a, b) => a + b, 0)
  return { bytes, growth, growths, seconds, received }
}
