/**
 * Render polling: JOBS exports, each a RenderJob Durable Object polling the simulator from its
 * alarm, in workerd, with time compressed: RENDER_POLL_INTERVAL_MS is RENDER_POLL_INTERVAL_MS here
 * instead of 30 000, so one simulated minute lasts 60 000 / COMPRESSION ms (20 s). The simulator renders
 * in `polls` mode with a job that never finishes within the run, so every job keeps polling.
 *
 * - Polls per job per minute: after every job exists and one interval has passed, the simulator's
 *   `render-status` requests are counted over WINDOW_SIM_MINUTES simulated minutes.
 * - Upstream calls per status read: the worker is restarted on the same state with a one-hour poll
 *   interval, so once the alarms already due have fired the backend hears nothing from polling;
 *   then every job is read once (`GET /v1/exports/{id}`) and every upstream request during the reads
 *   is counted, whatever its endpoint. The quiet window before the reads is counted too: it shows
 *   that nothing else was calling.
 * @module
 */
import type { SimulatorConfigPatch } from '../../test/simulator/index.ts'
import type { Figure } from './figures.ts'
import type { RunningSimulator } from '../../test/simulator/serve.ts'
import { round } from './stats.ts'
import { inBatches } from './chat-relay.ts'
import { readTimedEvents } from '../../test/lib/sse.ts'
import { registerInstallation, type WorkerApi } from '../lib/worker-api.ts'

export const JOBS = 1000
/**
 * 30 000 ms in production; 3x compressed. 1 000 jobs then make ~100 polls a second, a third of
 * what this 2-core box served when saturated (2 s interval: ~330 a second, every poll late), so the
 * count is the worker's schedule and not the machine's limit.
 */
export const RENDER_POLL_INTERVAL_MS = 10_000
const COMPRESSION = 30_000 / RENDER_POLL_INTERVAL_MS
const SIM_MINUTE_MS = 60_000 / COMPRESSION
const WINDOW_SIM_MINUTES = 2
const QUIET_INTERVAL_MS = 3_600_000
const QUIET_CHECK_MS = 5000

export const RENDER_SIMULATOR: SimulatorConfigPatch = {
  render: { mode: 'polls', pollsToComplete: 1_000_000 },
  anonymousRenderBlocked: false,
}

type Session = { inst: WorkerApi; sessionId: string }

export async function benchRenderPolling(
  workerUrl: string,
  sim: RunningSimulator,
  restartWorker: (vars: Record<string, string>) => Promise<void>,
  chatSessions: Session[] = [],
): Promise<Figure[]> {
  const sessions = chatSessions.length ? chatSessions : await sessionsWithDraft(workerUrl, 10)
  // Spread over the installations: each has its own API rate limit (600 a minute per route group).
  const t0 = performance.now()
  const jobs = await inBatches(JOBS, 20, async (i) => {
    const s = sessions[i % sessions.length]!
    return {
      inst: s.inst,
      jobId: (
        await s.inst.createExport(s.sessionId, {
          preset: '16:9',
          idempotencyKey: `bench_render_${i}_${Date.now()}`,
        })
      ).jobId,
    }
  })
  const createSeconds = (performance.now() - t0) / 1000
  console.log(`  ${JOBS} exports created in ${round(createSeconds)} s`)
  if (new Set(jobs.map((j) => j.jobId)).size !== JOBS)
    throw new Error('the exports did not make distinct jobs')

  // Every job has polled at least once before the window opens.
  await sleep(RENDER_POLL_INTERVAL_MS * 1.5)
  const before = await sim.log('render-status')
  const w0 = performance.now()
  await sleep(WINDOW_SIM_MINUTES * SIM_MINUTE_MS)
  const after = await sim.log('render-status')
  const windowMs = performance.now() - w0
  const polls = after.slice(before.length)
  const polled = new Set(polls.map((e) => e.path.split('/').pop()))
  const simMinutes = (windowMs * COMPRESSION) / 60_000
  const perJobMinute = polls.length / JOBS / simMinutes

  console.log(
    `  ${polls.length} polls in ${round(windowMs / 1000)} s; restarting the worker with polling silenced`,
  )
  // Reads: polling silenced first (see above), then one read per job.
  await restartWorker({ RENDER_POLL_INTERVAL_MS: String(QUIET_INTERVAL_MS) })
  // Every alarm armed before the restart is due within one interval; after it, none for an hour.
  await waitForQuiet(sim, RENDER_POLL_INTERVAL_MS * 1.2)
  const quietStart = (await sim.log()).length
  await sleep(QUIET_CHECK_MS)
  const readStart = (await sim.log()).length
  const r0 = performance.now()
  const statuses = await inBatches(
    JOBS,
    25,
    async (i) => (await jobs[i]!.inst.getExport(jobs[i]!.jobId)).status,
  )
  const readSeconds = (performance.now() - r0) / 1000
  const readEnd = (await sim.log()).length
  const callsDuringReads = readEnd - readStart
  const running = statuses.filter((s) => s === 'pending' || s === 'processing').length

  return [
    {
      name: `render: upstream polls per job per minute, ${JOBS} jobs`,
      value: round(perJobMinute),
      unit: '',
      target: '≤ 2',
      met: perJobMinute <= 2,
      detail:
        `${round((perJobMinute / 2) * 100)} % of the 2 the interval schedules (below: late alarms on a busy machine; ` +
        `above: extra polls); ${polls.length} polls of ${polled.size} jobs in ${round(windowMs / 1000)} s = ${round(simMinutes)} simulated min ` +
        `(poll interval ${RENDER_POLL_INTERVAL_MS} ms standing for 30 s, ${COMPRESSION}x); ${JOBS} exports created in ${round(createSeconds)} s`,
    },
    {
      name: `render: upstream calls per status read, ${JOBS} reads`,
      value: round(callsDuringReads / JOBS),
      unit: '',
      target: '0',
      met: callsDuringReads === 0,
      detail:
        `${callsDuringReads} upstream calls during ${JOBS} reads in ${round(readSeconds)} s ` +
        `(${readStart - quietStart} in the ${QUIET_CHECK_MS / 1000} s quiet window before); ${running} jobs still running`,
    },
  ]
}

/** Waits until the simulator log stops growing for `quietMs` (the alarms due before a restart). */
async function waitForQuiet(
  sim: RunningSimulator,
  quietMs: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = (await sim.log('render-status')).length
  let since = Date.now()
  while (Date.now() < deadline) {
    await sleep(250)
    const now = (await sim.log('render-status')).length
    if (now !== last) {
      last = now
      since = Date.now()
    } else if (Date.now() - since >= quietMs) return
  }
  throw new Error('upstream traffic did not stop after the restart')
}

/** Sessions whose draft has segments (a generated video), when the chat benchmark did not run. */
async function sessionsWithDraft(workerUrl: string, n: number): Promise<Session[]> {
  return await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const inst = await registerInstallation(workerUrl, { address: `198.51.100.${210 + i}` })
      const { sessionId } = await inst.createSession('en')
      const text = 'make a video about the sea'
      const sent = await inst.sendMessage(sessionId, {
        text,
        clientMessageId: `bench_draft_${i}_${Date.now()}`,
      })
      const signal = AbortSignal.timeout(60_000)
      const res = sent.events ?? (await inst.openRunEvents(sessionId, sent.runId, signal))
      signal.addEventListener('abort', () => void res.body?.cancel().catch(() => {}), {
        once: true,
      })
      await readTimedEvents(res, (d) => d.type === 'done' || d.type === 'error')
      return { inst, sessionId }
    }),
  )
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
