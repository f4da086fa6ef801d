/**
 * `npm run profile:chat`: where the worker's CPU goes in a chat turn. Starts the simulator (the
 * chat benchmark's config) and the worker under workerd with its inspector open, runs a warm-up,
 * then records a V8 CPU profile of the worker's isolate (the Worker and its Durable Objects share
 * it) over `--turns=N` relayed turns at `--concurrency=C`, and prints the self time per function
 * and per source file, per turn. The profile is written to artifacts/chat-<time>.cpuprofile (open
 * it in Chrome DevTools' Performance panel). This is the figure's microscope; the figure itself
 * (process CPU per turn) is `npm run bench -- chat`. Caveat: workerd runs miniflare's own services on
 * the same thread, and samples taken while the isolate waits or another isolate runs are charged
 * to whatever it last ran (often a native `read`), so the absolute times are far above its CPU
 * time: read the table for where the worker's own code spends relative to itself.
 * @module
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator } from '../../test/simulator/serve.ts'
import { freePort } from '../lib/ports.ts'
import { killGroupsOnExit, stopAllGroups } from '../lib/processes.ts'
import { startWorker } from '../lib/worker.ts'
import { readRun, registerInstallation, type WorkerApi } from '../lib/worker-api.ts'
import { CHAT_SIMULATOR, requestFloor } from './chat-relay.ts'
import { cpuMsOfAll, workerdRoles } from './process-memory.ts'
import { round } from './stats.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const TURNS = arg('turns', 40)
const CONCURRENCY = arg('concurrency', 4)
const TOP = arg('top', 30)
const PROFILE = !process.argv.includes('--cpu-only')

interface ProfileNode {
  id: number
  callFrame: {
    functionName: string
    scriptId: string
    url: string
    lineNumber: number
    columnNumber: number
  }
  hitCount?: number
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

/** A Chrome DevTools Protocol session over the inspector's WebSocket. */
async function inspect(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{
    webSocketDebuggerUrl: string
    title?: string
  }>
  const target = targets[0]
  if (!target) throw new Error('the inspector lists no worker')
  // The inspector only takes local origins; Node's WebSocket (undici) may send headers.
  const ws = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: 'http://localhost' },
  } as unknown as string[])
  await new Promise((resolve, reject) => {
    ws.onopen = resolve
    ws.onerror = () => reject(new Error('cannot open the inspector'))
  })
  let next = 1
  const pending = new Map<number, (value: { result?: unknown; error?: unknown }) => void>()
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: unknown }
    if (msg.id !== undefined) pending.get(msg.id)?.(msg)
  }
  return {
    async send<T>(method: string, params: object = {}): Promise<T> {
      const id = next++
      const answer = await new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify({ id, method, params }))
      })
      pending.delete(id)
      if (answer.error) throw new Error(`${method}: ${JSON.stringify(answer.error)}`)
      return answer.result as T
    },
    close: () => ws.close(),
  }
}

/**
 * Runs `count` turns, `CONCURRENCY` at a time, each in a new session. The sessions are opened
 * first: opening one is not part of a turn (as in the chat benchmark).
 */
async function turns(
  apis: WorkerApi[],
  workerUrl: string,
  count: number,
  measure?: () => Promise<number>,
) {
  const sessions = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const api = apis[i % apis.length]!
      return { api, sessionId: (await api.createSession('en')).sessionId }
    }),
  )
  const before = await measure?.()
  let next = 0
  const lane = async () => {
    while (next < count) {
      const { api, sessionId } = sessions[next++]!
      // One request per turn, as the extension sends it: the message's answer is its reply.
      const { runId, events } = await api.sendMessage(sessionId, {
        text: 'make a video about the sea',
        clientMessageId: crypto.randomUUID(),
      })
      const run = await readRun(workerUrl, api.key, sessionId, runId, events)
      if (run.types.at(-1) !== 'done') throw new Error(`a turn ended with ${run.types.at(-1)}`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
  return before === undefined ? 0 : (await measure!()) - before
}

/** Self time per key, in ms, from the samples and their time deltas. */
function selfTimes(profile: CpuProfile, keyOf: (n: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const out = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!)
    // A sample's time is the gap to the next one.
    const ms = (deltas[i + 1] ?? 0) / 1000
    if (!node) continue
    const key = keyOf(node)
    out.set(key, (out.get(key) ?? 0) + ms)
  }
  return out
}

/** Records and summarises a CPU profile of the worker's isolate over TURNS turns. */
async function profileTurns(apis: WorkerApi[], workerUrl: string, inspectorPort: number) {
  const cdp = await inspect(inspectorPort)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  await cdp.send('Profiler.start')
  const t0 = performance.now()
  await turns(apis, workerUrl, TURNS)
  const done = TURNS
  const wall = performance.now() - t0
  const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop')

  const moduleOf = await moduleMap(cdp, profile)
  cdp.close()
  const idle = new Set(['(idle)', '(program)', '(garbage collector)'])
  const byFunction = selfTimes(profile, (n) => {
    const { functionName, url, lineNumber } = n.callFrame
    if (idle.has(functionName)) return functionName
    return `${functionName || '(anonymous)'} ${moduleOf(n)} (${shortUrl(url)}:${lineNumber + 1})`
  })
  const byFile = selfTimes(profile, (n) =>
    idle.has(n.callFrame.functionName) ? n.callFrame.functionName : moduleOf(n),
  )
  const busy = [...byFunction].filter(([k]) => k !== '(idle)').reduce((s, [, v]) => s + v, 0)
  const perTurn = (ms: number) => round(ms / done)
  console.log(
    `${done} turns at ${CONCURRENCY} at a time in ${round(wall / 1000)} s; ` +
      `isolate busy ${round(busy)} ms = ${perTurn(busy)} ms per turn ` +
      `(GC ${perTurn(byFunction.get('(garbage collector)') ?? 0)}, ` +
      `program ${perTurn(byFunction.get('(program)') ?? 0)})`,
  )
  const table = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (ms per turn, self time)`)
    for (const [k, v] of [...m]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP))
      console.log(`  ${perTurn(v).toFixed(3).padStart(8)}  ${k}`)
  }
  table('by file', byFile)
  table('by function', byFunction)
  await mkdir(join(ROOT, 'artifacts'), { recursive: true })
  const file = join(
    ROOT,
    'artifacts',
    `chat-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
  )
  await writeFile(file, JSON.stringify(profile))
  console.log(`\nprofile: ${file}`)
}

/**
 * The source module of a profile node: esbuild marks each module in the bundle with a
 * `// path/to/module.ts` line, so a bundle line belongs to the last marker above it.
 */
async function moduleMap(
  cdp: Awaited<ReturnType<typeof inspect>>,
  profile: CpuProfile,
): Promise<(n: ProfileNode) => string> {
  await cdp.send('Debugger.enable')
  const markers = new Map<string, Array<[number, string]>>()
  for (const id of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
    if (id === '0') continue
    const { scriptSource } = await cdp
      .send<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId: id })
      .catch(() => ({ scriptSource: '' }))
    const list: Array<[number, string]> = []
    scriptSource.split('\n').forEach((line, i) => {
      const m = /^\/\/ ((?:\.\.\/)*[\w@./-]+\.(?:ts|js|mjs|cjs))$/.exec(line)
      if (m) list.push([i, m[1]!.replace(/^(\.\.\/)+/, '')])
    })
    markers.set(id, list)
  }
  return (n) => {
    const list = markers.get(n.callFrame.scriptId)
    if (!list?.length) return shortUrl(n.callFrame.url)
    let found = '(bundle prelude)'
    for (const [line, name] of list) {
      if (line > n.callFrame.lineNumber) break
      found = name
    }
    return found.replace(/^node_modules\/(\.pnpm\/)?/, '')
  }
}

const shortUrl = (url: string) =>
  url.replace(/^.*?\/(worker|shared|node_modules)\//, '$1/') || '(native)'

killGroupsOnExit()
const work = await mkdtemp(join(tmpdir(), 'pagereel-profile-'))
try {
  const sim = await startSimulator({ config: CHAT_SIMULATOR, ownProcess: {} })
  const inspectorPort = await freePort()
  const worker = await startWorker({
    upstreamBaseUrl: sim.url,
    persistTo: join(work, 'state'),
    logFile: join(work, 'worker.log'),
    inspectorPort,
  })
  const apis = await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      registerInstallation(worker.url, { address: `198.51.100.${i + 1}` }),
    ),
  )
  await turns(apis, worker.url, 4)
  // First the figure, with no profiler attached (it costs CPU of its own).
  const { worker: workerPids } = await workerdRoles(worker.url)
  const cpuNow = () => cpuMsOfAll(workerPids)
  const cpu = await turns(apis, worker.url, TURNS, cpuNow)
  const floor = await requestFloor(worker.url, workerPids)
  console.log(
    `workerd CPU (process, no profiler): ${round(cpu / TURNS)} ms per turn over ${TURNS} turns; ` +
      `${round(cpu / TURNS - floor)} ms net of the local server's floor per request, ${round(floor)} ms`,
  )
  if (PROFILE) await profileTurns(apis, worker.url, inspectorPort)
  await worker.stop()
  await sim.stop()
} finally {
  await stopAllGroups()
  await rm(work, { recursive: true, force: true })
}
