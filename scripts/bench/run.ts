/**
 * `npm run bench`: issue 5's performance figures, measured in one run on 127.0.0.1. Starts the
 * simulator (in processes of its own: one behind the worker, two more for the chat benchmark's
 * direct paths), the worker under workerd (wrangler's local dev server, through the launcher in
 * scripts/lib/worker.ts that the e2e stack uses) and, for the extension figures, builds the extension
 * against that worker; runs each benchmark, prints one table and writes it to
 * artifacts/bench-<time>.json. The e2e stack itself (startStack) is not used: it runs the simulator
 * inside this process, whose event loop times the streams, and it starts one simulator only.
 * Everything started is stopped (process groups), also on failure or Ctrl-C.
 *
 * The worker, the simulator and the extension come from a copy of one commit (HEAD, or the one
 * named by `--rev=<commit>`), see source-snapshot.ts; the JSON names it.
 * `npm run bench -- chat upload` runs only the named benchmarks (chat, upload, render, extension,
 * local-render);
 * `--keep` keeps the temporary directory (worker log and state, the source copy).
 * @module
 */
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../lib/ports.ts'
import { killGroupsOnExit, stopAllGroups } from '../lib/processes.ts'
import { startWorker } from '../lib/worker.ts'
import { benchChatRelay, CHAT_SIMULATOR, type ChatRelayOutput } from './chat-relay.ts'
import { benchExtension } from './extension.ts'
import { benchPreview } from './preview.ts'
import { benchLocalRender } from './local-render.ts'
import {
  printBudgets,
  printTable,
  writeArtifact,
  type BenchResult,
  type Figure,
} from './figures.ts'
import { benchRenderPolling, RENDER_POLL_INTERVAL_MS, RENDER_SIMULATOR } from './render-polling.ts'
import { startSimulator } from '../../test/simulator/serve.ts'
import { buildSnapshotExtension, snapshotCommit } from './source-snapshot.ts'
import { benchUpload } from './upload.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ALL = ['chat', 'upload', 'render', 'extension', 'local-render', 'preview'] as const
type BenchName = (typeof ALL)[number]

const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const keep = process.argv.includes('--keep')
const rev = process.argv.find((a) => a.startsWith('--rev='))?.slice('--rev='.length) ?? 'HEAD'
const selected = new Set<BenchName>(picked.length ? (picked as BenchName[]) : ALL)
for (const name of selected)
  if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name}; one of ${ALL.join(', ')}`)

killGroupsOnExit()
const started = Date.now()
// The machine is shared: its load when the run began and ended goes with the figures.
const loadAtStart = loadavg()
const workDir = await mkdtemp(join(tmpdir(), 'pagereel-bench-'))
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAllGroups()
      .then(() => (keep ? undefined : rm(workDir, { recursive: true, force: true })))
      .finally(() => process.exit(130))
  })
}
const results: BenchResult[] = []
const source = (() => {
  try {
    return snapshotCommit(ROOT, join(workDir, 'src'), rev)
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true })
    throw error
  }
})()
try {
  // Simulators with one config and seed: the worker's upstream, and the chat benchmark's two
  // direct paths (see chat-relay.ts for why they must match).
  const config = { ...CHAT_SIMULATOR, ...RENDER_SIMULATOR }
  const [sim, direct, control] = await Promise.all([
    startSimulator({ config, ownProcess: { src: source.dir } }),
    selected.has('chat') ? startSimulator({ config, ownProcess: { src: source.dir } }) : undefined,
    selected.has('chat') ? startSimulator({ config, ownProcess: { src: source.dir } }) : undefined,
  ])
  const workerPort = await freePort()
  const workerUrl = `http://127.0.0.1:${workerPort}`
  // The build runs while workerd starts (as stack.ts does), never while anything is timed.
  const workerOptions = (vars: Record<string, string>) => ({
    upstreamBaseUrl: sim.url,
    port: workerPort,
    persistTo: join(workDir, 'worker-state'),
    vars,
    logFile: join(workDir, 'worker.log'),
    config: join(source.dir, 'wrangler.toml'),
  })
  let [worker, extensionDir] = await Promise.all([
    startWorker(workerOptions({ RENDER_POLL_INTERVAL_MS: String(RENDER_POLL_INTERVAL_MS) })),
    selected.has('extension') || selected.has('local-render') || selected.has('preview')
      ? buildSnapshotExtension(source.dir, workerUrl, join(workDir, 'extension'))
      : Promise.resolve(undefined),
  ])
  console.log(
    `commit ${source.revision}: simulator ${sim.url}, worker ${workerUrl}, ${cpus().length} CPUs, ` +
      `load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}`,
  )

  let chat: ChatRelayOutput | undefined
  const run = async (bench: BenchName, fn: () => Promise<Figure[]>) => {
    if (!selected.has(bench)) return
    const t0 = Date.now()
    console.log(`\n== ${bench}`)
    try {
      const figures = await fn()
      for (const f of figures)
        console.log(
          `  ${f.name}: ${f.value} ${f.unit} (target ${f.target})${f.detail ? ` — ${f.detail}` : ''}`,
        )
      results.push({ bench, figures, seconds: Math.round((Date.now() - t0) / 1000) })
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      console.error(`  ${bench} failed: ${message}`)
      results.push({
        bench,
        figures: [],
        error: message,
        seconds: Math.round((Date.now() - t0) / 1000),
      })
    }
  }
  await run('chat', async () => {
    chat = await benchChatRelay(workerUrl, direct!, control!, sim)
    await direct!.stop()
    await control!.stop()
    return chat.figures
  })
  await run('upload', () => benchUpload(workerUrl, sim, source.dir))
  // The render benchmark restarts the worker (same port, same state) with other [vars].
  const restartWorker = async (vars: Record<string, string>) => {
    await worker.stop()
    worker = await startWorker(workerOptions(vars))
  }
  await run('render', () => benchRenderPolling(workerUrl, sim, restartWorker, chat?.sessions))
  await run('extension', () => benchExtension(extensionDir!))
  await run('local-render', () => benchLocalRender(extensionDir!))
  await run('preview', () => benchPreview(extensionDir!))
  await worker.stop()
  await sim.stop()
} finally {
  await stopAllGroups()
  if (keep) console.log(`kept ${workDir} (worker.log, worker-state, src)`)
  else await rm(workDir, { recursive: true, force: true })
}

console.log(`\n${printTable(results)}\n`)
const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ')
console.log(
  `Budgets (issue 14), ${cpus().length} CPUs, load average ${loads(loadAtStart)} at the start and ` +
    `${loads(loadavg())} at the end:\n${printBudgets(results)}\n`,
)
const file = await writeArtifact(join(ROOT, 'artifacts'), results, {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  commit: source.revision,
  cpus: cpus().length,
  loadAverageAtStart: loadAtStart,
  loadAverageAtEnd: loadavg(),
  seconds: Math.round((Date.now() - started) / 1000),
})
console.log(`written to ${file} in ${Math.round((Date.now() - started) / 1000)} s`)
process.exitCode = results.some((r) => r.error) ? 1 : 0
