/**
 * `npm start`: the NemoVideo simulator (test/simulator/serve.ts) on 127.0.0.1:8788 and the worker
 * under `wrangler dev` on 127.0.0.1:8787, pointed at it, with local KV and Durable Objects kept in
 * .wrangler/state. Waits until both answer, prints their URLs and a curl example; Ctrl-C stops both.
 * SIM_PORT / WORKER_PORT change the ports; SIM_CONFIG patches the simulator's config (JSON).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const simPort = Number(process.env.SIM_PORT ?? 8788)
const workerPort = Number(process.env.WORKER_PORT ?? 8787)
const simUrl = `http://127.0.0.1:${simPort}`
const workerUrl = `http://127.0.0.1:${workerPort}`

interface Child {
  name: string
  process: ChildProcess
  exited: Promise<number | null>
}

/** Starts a child in its own process group (wrangler starts workerd: stopping the group stops it). */
function start(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const prefix = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) stream.write(`[${name}] ${line}\n`)
  }
  child.stdout?.on('data', prefix(process.stdout))
  child.stderr?.on('data', prefix(process.stderr))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { name, process: child, exited }
}

function signal(child: Child, sig: NodeJS.Signals): void {
  if (child.process.pid === undefined || child.process.exitCode !== null) return
  try {
    process.kill(-child.process.pid, sig)
  } catch {
    // Already gone.
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
    await res.body?.cancel()
    return true
  } catch {
    return false
  }
}

async function waitUntilUp(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let gone = false
  void child.exited.then(() => {
    gone = true
  })
  while (!(await answers(url))) {
    if (gone) throw new Error(`${child.name} exited before it answered on ${url}`)
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer on ${url} within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

const children: Child[] = []
let stopping = false
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    for (const c of children) signal(c, 'SIGINT')
    const killer = setTimeout(() => children.forEach((c) => signal(c, 'SIGKILL')), 5000)
    await Promise.all(children.map((c) => c.exited))
    clearTimeout(killer)
  }
  process.exit(code)
}
process.once('SIGINT', () => void stop(0))
process.once('SIGTERM', () => void stop(0))

const sim = start('simulator', ['test/simulator/serve.ts'], { SIM_PORT: String(simPort) })
children.push(sim)
const worker = start('worker', [
  'node_modules/wrangler/bin/wrangler.js',
  'dev',
  '--ip',
  '127.0.0.1',
  '--port',
  String(workerPort),
  '--var',
  `UPSTREAM_BASE_URL:${simUrl}`,
  '--persist-to',
  '.wrangler/state',
  '--show-interactive-dev-session=false',
])
children.push(worker)
for (const c of children) {
  void c.exited.then((code) => {
    if (!stopping) {
      console.error(`${c.name} stopped (exit ${code}); stopping the rest`)
      void stop(1)
    }
  })
}

try {
  await waitUntilUp(sim, `${simUrl}/__sim/config`, 30_000)
  await waitUntilUp(worker, `${workerUrl}/v1/openapi.json`, 120_000)
} catch (error) {
  console.error((error as Error).message)
  await stop(1)
}

console.log(`
PageReel is running locally.
  worker     ${workerUrl}   (API: ${workerUrl}/v1/openapi.json)
  simulator  ${simUrl}   (NemoVideo stand-in; control API under /__sim/)

Try it:
  KEY=$(curl -s -X POST ${workerUrl}/v1/installations -H 'Content-Type: application/json' \\
    -d '{"language":"en"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')
  curl -s ${workerUrl}/v1/credits -H "Authorization: Bearer $KEY"
  SID=$(curl -s -X POST ${workerUrl}/v1/sessions -H "Authorization: Bearer $KEY" \\
    -H 'Content-Type: application/json' -d '{"language":"en"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).sessionId')
  curl -s ${workerUrl}/v1/sessions/$SID/uploads -H "Authorization: Bearer $KEY" -F files=@clip.mp4

Ctrl-C stops both.`)
