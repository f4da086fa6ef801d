/**
 * The simulator's one entry point. As a program (`node test/simulator/serve.ts`) it serves on
 * 127.0.0.1:${SIM_PORT ?? 8788} and prints its URL; SIGINT/SIGTERM stop it. SIM_CONFIG may hold a
 * JSON config patch (e.g. '{"timeScale":0.05}').
 * @module
 */
import { serve } from '@hono/node-server'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, waitForHttp } from '../../scripts/lib/ports.ts'
import { startGroup, type GroupProcess } from '../../scripts/lib/processes.ts'
import { SimControl } from './http-control.ts'
import {
  createSimulator,
  type LoggedRequest,
  type Simulator,
  type SimulatorConfigPatch,
} from './index.ts'
export interface SimulatorOptions {
  config?: SimulatorConfigPatch
  /** 0 (the default) picks a free port. */
  port?: number
  /**
   * Serve from a process of its own (its event loop apart from the caller's: the benchmarks time
   * streams in theirs). `src` is the checkout (or snapshot of one) to run this file from.
   */
  ownProcess?: { src?: string; logFile?: string }
}

export interface RunningSimulator {
  url: string
  /** The control API over HTTP (`/__sim/*`): the same calls in this process or another. */
  control: SimControl
  /** The simulator object when it runs in this process. */
  simulator?: Simulator
  /** The child process when it runs in its own. */
  proc?: GroupProcess
  /** The request log, optionally of one endpoint. */
  log(endpoint?: string): Promise<LoggedRequest[]>
  stop(): Promise<void>
}

/**
 * The one way to start the NemoVideo simulator over HTTP on 127.0.0.1: `npm start`, the demo, the
 * browser suite's stack and the benchmarks all come here. (Tests inside workerd use
 * `createSimulator` directly, without a server.)
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const running = options.ownProcess
    ? await inOwnProcess(
        options.port ?? (await freePort()),
        options.config ?? {},
        options.ownProcess,
      )
    : await inThisProcess(options.port ?? 0, options.config ?? {})
  const control = new SimControl(running.url)
  return { ...running, control, log: (endpoint) => control.log(endpoint) }
}

function inThisProcess(port: number, config: SimulatorConfigPatch) {
  const simulator = createSimulator(config)
  return new Promise<Pick<RunningSimulator, 'url' | 'simulator' | 'stop'>>((resolve) => {
    const server = serve({ fetch: simulator.fetch, port, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        simulator,
        stop: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server) server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

async function inOwnProcess(
  port: number,
  config: SimulatorConfigPatch,
  { src = ROOT, logFile }: { src?: string; logFile?: string },
): Promise<Pick<RunningSimulator, 'url' | 'proc' | 'stop'>> {
  const url = `http://127.0.0.1:${port}`
  const proc = startGroup(process.execPath, [join(src, 'test/simulator/serve.ts')], {
    env: { ...process.env, SIM_PORT: String(port), SIM_CONFIG: JSON.stringify(config) },
    ...(logFile && { logFile }),
  })
  try {
    await waitForHttp(`${url}/__sim/config`, 20_000, proc.exited)
  } catch (error) {
    await proc.stop()
    throw new Error(`${(error as Error).message}\n${proc.tail()}`)
  }
  return { url, proc, stop: () => proc.stop() }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

if (import.meta.main) {
  const config = process.env.SIM_CONFIG
    ? (JSON.parse(process.env.SIM_CONFIG) as SimulatorConfigPatch)
    : {}
  const running = await startSimulator({ port: Number(process.env.SIM_PORT ?? 8788), config })
  console.log(`NemoVideo simulator listening on ${running.url}`)
  const stop = () => {
    void running.stop().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
