import { fileURLToPath } from 'node:url'
import { freePort, waitForHttp } from './ports.ts'
import { startGroup, type GroupProcess } from './processes.ts'

const ENTRY = fileURLToPath(new URL('./worker-dev.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface WorkerOptions {
  /** The backend (the simulator's URL, or production). */
  upstreamBaseUrl: string
  /** Durable Object and KV state; reusing it across restarts keeps jobs and installations. */
  persistTo: string
  /** More `[vars]` overrides (poll intervals, limits). */
  vars?: Record<string, string>
  port?: number
  logFile?: string
  /**
   * The wrangler.toml to run (e.g. in a snapshot of the source taken once, so a restart rebuilds the
   * same code while the checkout changes); this checkout's by default.
   */
  config?: string
  /** Opens workerd's inspector (through wrangler) on this port, for a CPU profile. */
  inspectorPort?: number
}

export interface RunningWorker {
  url: string
  /** Stops workerd (state stays in `persistTo`). */
  stop(): Promise<void>
  /** Stop, then start again on the same port with the same state: a worker restart. */
  restart(): Promise<void>
}

/** Starts the worker under workerd (wrangler's local dev server) on 127.0.0.1. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const port = options.port ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  let proc: GroupProcess = await launch(port, options)
  return {
    url,
    stop: () => proc.stop(),
    async restart() {
      await proc.stop()
      proc = await launch(port, options)
    },
  }
}

/**
 * Local runs only: every client is this machine (one address), so the production budget of
 * registrations per address and day would stop a developer, or the browser suite, after five.
 */
const LOCAL_VARS: Record<string, string> = { REGISTRATIONS_PER_ADDRESS_PER_DAY: '100000' }

async function launch(port: number, options: WorkerOptions): Promise<GroupProcess> {
  const vars = { UPSTREAM_BASE_URL: options.upstreamBaseUrl, ...LOCAL_VARS, ...options.vars }
  const proc = startGroup(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      ...process.env,
      WORKER_DEV: JSON.stringify({
        port,
        persistTo: options.persistTo,
        vars,
        config: options.config,
        inspectorPort: options.inspectorPort,
      }),
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_SEND_ERROR_REPORTS: 'false',
      CI: '1',
    },
    logFile: options.logFile,
  })
  try {
    await waitForReady(proc, 90_000)
    // workerd compiles the bundle before it listens: seconds when idle, far more on a busy machine.
    await waitForHttp(`http://127.0.0.1:${port}/v1/openapi.json`, 90_000, proc.exited)
  } catch (error) {
    await proc.stop()
    throw new Error(`${(error as Error).message}\n--- worker output ---\n${proc.tail()}`)
  }
  return proc
}

async function waitForReady(proc: GroupProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (/^READY /m.test(proc.tail(400))) return
    const dead = proc.exited()
    if (dead) throw new Error(`the worker ${dead}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the worker did not start within ${timeoutMs} ms`)
}
