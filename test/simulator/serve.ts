/**
 * Node entry: `npm exec -- node test/simulator/serve.ts` serves the simulator on
 * 127.0.0.1:${SIM_PORT ?? 8788} and prints its URL. SIGINT/SIGTERM stop it.
 * SIM_CONFIG may hold a JSON config patch (e.g. '{"timeScale":0.05}').
 * @module
 */
import { serve } from '@hono/node-server'
import { createSimulator, type Simulator, type SimulatorConfigPatch } from './index.ts'

export interface RunningSimulator {
  url: string
  simulator: Simulator
  close(): Promise<void>
}

/** Starts the simulator on a port (0 picks a free one); resolves once it listens. */
export function startSimulator(
  port: number,
  config: SimulatorConfigPatch = {},
): Promise<RunningSimulator> {
  const simulator = createSimulator(config)
  return new Promise((resolve) => {
    const server = serve({ fetch: simulator.fetch, port, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        simulator,
        close: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server) server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

if (import.meta.main) {
  const config = process.env.SIM_CONFIG
    ? (JSON.parse(process.env.SIM_CONFIG) as SimulatorConfigPatch)
    : {}
  const running = await startSimulator(Number(process.env.SIM_PORT ?? 8788), config)
  console.log(`NemoVideo simulator listening on ${running.url}`)
  const stop = () => {
    void running.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
