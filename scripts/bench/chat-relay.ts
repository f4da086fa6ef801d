/**
 * Chat relay cost: the same scripted turns, N at a time, straight from the simulator
 * (`POST /run_sse`) and through the worker (`POST …/messages`, then the run's SSE from event 0).
 *
 * Timed per stream from the request's start: time to the first text, and time to the reply's end
 * (direct: the stream closes; worker: its `done` event). Figures, per concurrency N:
 * - added time to first text = median(worker) − median(direct), and their ratio;
 * - added time per event = (added time to the end − added time to the first text) / the mean number
 *   of upstream events after the first text (counted on the direct streams; both paths run the
 *   same script with the same seeded distribution): how much later each further event arrives.
 *   Plain inter-event gaps are not compared: the worker lets text out in whole sentences (its GUI
 *   wording translator needs them), so it sends fewer, larger text events than it receives.
 * The turn is a generation ("make a video …": text, ~10-20 heartbeats, 3 tool calls and results,
 * closing text; ~20-35 events) at timeScale 0: the simulator waits nothing between events (a
 * setTimeout(0) each), so the times are the two paths' own costs and not its seeded pacing, whose
 * randomness (100-300 s per generation, scaled) would otherwise drown them. The wire is clean
 * (LF, whole events, no comments): the parser's robustness is tested elsewhere, not timed here.
 * N = 1 runs ROUNDS_AT_1 times one after another (one sample would be noise).
 * The CPU time each process used during each path's streams (/proc/<pid>/stat) is reported too:
 * on a small shared machine the times at 50 and 200 streams are bounded by CPU, and CPU per event
 * is what stays comparable between machines.
 * @module
 */
import type { SimulatorConfigPatch } from '../../test/simulator/index.ts'
import type { Figure } from './figures.ts'
import { cpuMsOf, workerdRoles } from './process-memory.ts'
import { readTimedEvents, type TimedEvent } from './sse-timing.ts'
import { mean, median, round } from './stats.ts'
import { createSession, openRunEvents, register, sendMessage, type Installation } from './worker-client.ts'

export const CHAT_SIMULATOR: SimulatorConfigPatch = {
  timeScale: 0,
  sseStyle: 'documented',
  tokensPerIp: 1_000_000,
  anonymousCredits: 1_000_000_000,
  sse: {
    lineEndings: 'lf',
    splitChunks: false,
    comments: false,
    emptyData: false,
    unknownFields: false,
    trailingIssueRate: 0,
    noTextRate: 0,
  },
}

const CONCURRENCY = [1, 50, 200]
const ROUNDS_AT_1 = 15
/** Installations (and direct-path anonymous users) the streams are spread over. */
const USERS = 10
const PROMPT = 'make a video about the sea'
const STREAM_TIMEOUT_MS = 30_000

interface StreamTiming {
  firstTextMs: number
  endMs: number
  /** Upstream data events after the first text (direct streams only). */
  eventsAfterFirst: number
  /** Worker path: until `POST …/messages` answered with the run id. */
  acceptedMs?: number
}

export interface ChatRelayOutput {
  figures: Figure[]
  /** Worker sessions that now have a generated draft (the render benchmark exports them). */
  sessions: Array<{ inst: Installation; sessionId: string }>
}

/**
 * `simulatorPid`: the simulator's process, whose CPU time is read like workerd's: the CPU each path
 * burns per stream says why the times grow with N on a small machine.
 */
export async function benchChatRelay(workerUrl: string, simUrl: string, simulatorPid: number): Promise<ChatRelayOutput> {
  const installations = await Promise.all(
    Array.from({ length: USERS }, (_, i) => register(workerUrl, `198.51.100.${i + 1}`)),
  )
  const pids: Pids = { sim: [simulatorPid], ...(await workerdRoles(workerUrl)) }
  const tokens = await Promise.all(Array.from({ length: USERS }, (_, i) => anonymousToken(simUrl, `bench-direct-${i}`)))
  const figures: Figure[] = []
  const sessions: ChatRelayOutput['sessions'] = []
  // One warm-up turn per path: workerd compiles the worker and opens its first DOs.
  await runRound(workerUrl, simUrl, installations, tokens, 1, sessions, pids)

  for (const n of CONCURRENCY) {
    const directAll: Outcome[] = []
    const relayedAll: Outcome[] = []
    const cpu: CpuUse = { direct: 0, sim: 0, proxy: 0, worker: 0 }
    const rounds = n === 1 ? ROUNDS_AT_1 : 1
    for (let r = 0; r < rounds; r++) {
      const round = await runRound(workerUrl, simUrl, installations, tokens, n, sessions, pids)
      directAll.push(...round.direct)
      relayedAll.push(...round.relayed)
      for (const k of Object.keys(cpu) as Array<keyof CpuUse>) cpu[k] += round.cpu[k]
    }
    const direct = directAll.filter((o): o is StreamTiming => !(o instanceof Error))
    const relayed = relayedAll.filter((o): o is StreamTiming => !(o instanceof Error))
    const failures = [...directAll, ...relayedAll].filter((o): o is Error => o instanceof Error)
    if (direct.length === 0 || relayed.length === 0) throw failures[0] ?? new Error('no streams')
    const dFirst = median(direct.map((t) => t.firstTextMs))
    const wFirst = median(relayed.map((t) => t.firstTextMs))
    const dEnd = median(direct.map((t) => t.endMs))
    const wEnd = median(relayed.map((t) => t.endMs))
    const events = mean(direct.map((t) => t.eventsAfterFirst))
    const addedFirst = wFirst - dFirst
    const perEvent = (wEnd - dEnd - addedFirst) / events
    const sample =
      `${directAll.length} streams per path` +
      (failures.length
        ? `, failed and left out: ${directAll.length - direct.length} direct, ${relayedAll.length - relayed.length} through the worker (${failures[0]!.message.slice(0, 120)})`
        : '')
    figures.push({
      name: `chat: added time to first text, ${n} stream${n === 1 ? '' : 's'}`,
      value: round(addedFirst),
      unit: 'ms',
      target: n === 200 ? '≤ 5 ms' : '(≤ 5 ms at 200)',
      ...(n === 200 && { met: addedFirst <= 5 }),
      detail:
        `median worker ${round(wFirst)} ms (of which POST messages ${round(median(relayed.map((t) => t.acceptedMs!)))} ms) ` +
        `vs direct ${round(dFirst)} ms (ratio ${round(wFirst / dFirst)}); ${sample}`,
    })
    figures.push({
      name: `chat: added time per event, ${n} stream${n === 1 ? '' : 's'}`,
      value: round(perEvent),
      unit: 'ms',
      target: n === 200 ? '≤ 1 ms' : '(≤ 1 ms at 200)',
      ...(n === 200 && { met: perEvent <= 1 }),
      detail:
        `reply end: median worker ${round(wEnd)} ms vs direct ${round(dEnd)} ms (ratio ${round(wEnd / dEnd)}); ` +
        `${round(events)} upstream events after the first text; ${sample}`,
    })
    const per = (ms: number, streams: number) => round(ms / streams)
    const addedCpu = (cpu.sim + cpu.proxy + cpu.worker) / relayed.length - cpu.direct / direct.length
    figures.push({
      name: `chat: CPU added per relayed event, ${n} stream${n === 1 ? '' : 's'}`,
      value: round(addedCpu / (events + 1)),
      unit: 'ms',
      target: '(informative)',
      detail:
        `CPU per stream through the worker: worker ${per(cpu.worker, relayed.length)} ms + wrangler's dev proxy ` +
        `${per(cpu.proxy, relayed.length)} ms + simulator ${per(cpu.sim, relayed.length)} ms; direct: simulator ` +
        `${per(cpu.direct, direct.length)} ms; divided by ${round(events + 1)} upstream events per turn`,
    })
  }
  return { figures, sessions }
}

/** Processes whose CPU time is read (/proc): the simulator and wrangler dev's two workerd. */
type Pids = { sim: number[]; proxy: number[]; worker: number[] }
/** CPU ms: the simulator during the direct streams; each process during the relayed ones. */
type CpuUse = { direct: number; sim: number; proxy: number; worker: number }

/** A stream's timing, or why it failed (counted and reported, not timed). */
type Outcome = StreamTiming | Error

async function settled(streams: Array<Promise<StreamTiming>>): Promise<Outcome[]> {
  return (await Promise.allSettled(streams)).map((r) =>
    r.status === 'fulfilled' ? r.value : r.reason instanceof Error ? r.reason : new Error(String(r.reason)),
  )
}

/** n direct streams at once, then n relayed ones; resolves once all ended. */
async function runRound(
  workerUrl: string,
  simUrl: string,
  installations: Installation[],
  tokens: string[],
  n: number,
  keep: ChatRelayOutput['sessions'],
  pids: Pids,
): Promise<{ direct: Outcome[]; relayed: Outcome[]; cpu: CpuUse }> {
  // Sessions first, outside the timing: opening one is not part of a chat turn.
  const workerSessions = await inBatches(n, 25, async (i) => {
    const inst = installations[i % installations.length]!
    return { inst, sessionId: await createSession(workerUrl, inst) }
  })
  const directSessions = await inBatches(n, 25, async (i) => {
    const token = tokens[i % tokens.length]!
    return { token, sessionId: await upstreamSession(simUrl, token) }
  })
  // One path after the other: each gets the machine (2 shared cores) to itself, so the worker's
  // own CPU use is counted against the worker path only.
  const cpuOf = async (list: number[]) => (await Promise.all(list.map(cpuMsOf))).reduce((x, y) => x + y, 0)
  const snapshot = async () => ({ sim: await cpuOf(pids.sim), proxy: await cpuOf(pids.proxy), worker: await cpuOf(pids.worker) })
  const before = await snapshot()
  const direct = await settled(
    directSessions.map((s) => directStream(simUrl, s.token, s.sessionId, AbortSignal.timeout(STREAM_TIMEOUT_MS))),
  )
  const middle = await snapshot()
  const relayed = await settled(
    workerSessions.map((s) => relayedStream(workerUrl, s.inst, s.sessionId, AbortSignal.timeout(STREAM_TIMEOUT_MS))),
  )
  const after = await snapshot()
  keep.push(...workerSessions)
  return {
    direct,
    relayed,
    cpu: {
      direct: middle.sim - before.sim,
      sim: after.sim - middle.sim,
      proxy: after.proxy - middle.proxy,
      worker: after.worker - middle.worker,
    },
  }
}

async function directStream(simUrl: string, token: string, sessionId: string, signal: AbortSignal): Promise<StreamTiming> {
  const start = performance.now()
  const res = await fetch(`${simUrl}/run_sse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      app_name: 'nemo_agent',
      user_id: 'me',
      session_id: sessionId,
      new_message: { parts: [{ text: PROMPT }] },
    }),
    signal,
  })
  if (!res.ok) throw new Error(`run_sse: ${res.status} ${await res.text()}`)
  const events = await readTimedEvents(res)
  const end = performance.now()
  const first = events.findIndex((e) => e.data.type === 'text')
  if (first < 0) throw new Error('a direct stream had no text')
  return { firstTextMs: events[first]!.at - start, endMs: end - start, eventsAfterFirst: events.length - 1 - first }
}

async function relayedStream(workerUrl: string, inst: Installation, sessionId: string, signal: AbortSignal): Promise<StreamTiming> {
  const start = performance.now()
  const runId = await sendMessage(workerUrl, inst, sessionId, PROMPT)
  const acceptedMs = performance.now() - start
  const res = await openRunEvents(workerUrl, inst, sessionId, runId, signal)
  const events = await readTimedEvents(res, (d) => d.type === 'done' || d.type === 'error')
  const last = events.at(-1)
  if (last?.data.type !== 'done') throw new Error(`a relayed run ended with ${JSON.stringify(last?.data)}`)
  const first = events.find((e: TimedEvent) => e.data.type === 'text')
  if (!first) throw new Error('a relayed run had no text')
  return { firstTextMs: first.at - start, endMs: last.at - start, eventsAfterFirst: 0, acceptedMs }
}

async function anonymousToken(simUrl: string, clientId: string): Promise<string> {
  const res = await fetch(`${simUrl}/api/auth/anonymous-token`, { method: 'POST', headers: { 'x-client-id': clientId } })
  const body = (await res.json()) as { data?: { token?: string } }
  if (!res.ok || !body.data?.token) throw new Error(`anonymous token: ${res.status}`)
  return body.data.token
}

async function upstreamSession(simUrl: string, token: string): Promise<string> {
  const res = await fetch(`${simUrl}/api/tasks/me/with-session/nemo_agent`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ task_name: 'bench', language: 'en' }),
  })
  const body = (await res.json()) as { data?: { session_id?: string } }
  if (!res.ok || !body.data?.session_id) throw new Error(`upstream session: ${res.status}`)
  return body.data.session_id
}

/** Runs `fn(0..n-1)` at most `width` at a time, keeping order. */
export async function inBatches<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let from = 0; from < n; from += width) {
    const batch = Array.from({ length: Math.min(width, n - from) }, (_, k) => fn(from + k))
    out.push(...(await Promise.all(batch)))
  }
  return out
}
