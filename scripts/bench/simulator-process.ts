/**
 * The NemoVideo simulator in a child process of its own (serve.ts), so its event loop is not the
 * one that times the streams: in-process, the bench's own clients would slow the "direct" path.
 * @module
 */
import { join } from 'node:path'
import type { LoggedRequest, SimulatorConfigPatch } from '../../test/simulator/index.ts'
import { freePort, waitForHttp } from '../lib/ports.ts'
import { startGroup, type GroupProcess } from '../lib/processes.ts'
import { SimControl } from '../lib/sim-control.ts'

export interface SimulatorProcess {
  url: string
  control: SimControl
  proc: GroupProcess
  /** The request log, optionally for one endpoint (`GET /__sim/log?endpoint=`). */
  log(endpoint?: string): Promise<LoggedRequest[]>
  stop(): Promise<void>
}

/** Runs `<src>/test/simulator/serve.ts` (src: a checkout or a snapshot of one). */
export async function startSimulatorProcess(src: string, config: SimulatorConfigPatch): Promise<SimulatorProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = startGroup(process.execPath, [join(src, 'test/simulator/serve.ts')], {
    env: { ...process.env, SIM_PORT: String(port), SIM_CONFIG: JSON.stringify(config) },
  })
  try {
    await waitForHttp(`${url}/__sim/config`, 20_000, proc.exited)
  } catch (error) {
    await proc.stop()
    throw new Error(`${(error as Error).message}\n${proc.tail()}`)
  }
  return {
    url,
    control: new SimControl(url),
    proc,
    async log(endpoint) {
      const res = await fetch(`${url}/__sim/log${endpoint ? `?endpoint=${endpoint}` : ''}`)
      if (!res.ok) throw new Error(`simulator log: ${res.status}`)
      return (await res.json()) as LoggedRequest[]
    },
    stop: () => proc.stop(),
  }
}
