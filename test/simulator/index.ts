/**
 * The NemoVideo backend stand-in. `createSimulator()` gives a fetch handler to mount at any
 * origin, a control surface for faults and inspection, and the log of every request.
 * @module
 */
import { createApp } from './app.ts'
import {
  DEFAULT_CONFIG,
  mergeConfig,
  type SimulatorConfig,
  type SimulatorConfigPatch,
} from './config.ts'
import { createContext } from './context.ts'
import { createControl, resetContext, type SimulatorControl } from './control.ts'
import type { LoggedRequest } from './state.ts'

export type { SimulatorConfig, SimulatorConfigPatch } from './config.ts'
export { DEFAULT_CONFIG } from './config.ts'
export type { SimulatorControl } from './control.ts'
export type { Draft, MediaItem, Segment, Track } from './draft.ts'
export type { EndpointName, Fault, FaultInput } from './faults.ts'
export type { Credits, LoggedRequest, TurnOverride } from './state.ts'

export interface Simulator {
  /** The Hono app; mount at any origin. */
  fetch(request: Request): Promise<Response>
  control: SimulatorControl
  /** Every backend request so far (not `/__sim/`). */
  readonly log: readonly LoggedRequest[]
  /** Forgets every token, session, render, fault and log entry; back to the creation config. */
  reset(): void
}

/**
 * @example
 * const sim = createSimulator({ timeScale: 0.001, render: { mode: 'polls', pollsToComplete: 3 } })
 * const res = await sim.fetch(new Request('https://sim/api/auth/anonymous-token', {
 *   method: 'POST', headers: { 'X-Client-Id': crypto.randomUUID() } }))
 */
export function createSimulator(
  config: Partial<SimulatorConfig> | SimulatorConfigPatch = {},
): Simulator {
  const sim = createContext(mergeConfig(DEFAULT_CONFIG, config as SimulatorConfigPatch))
  const control = createControl(sim)
  const app = createApp(sim, control)
  return {
    fetch: async (request) => app.fetch(request),
    control,
    get log() {
      return sim.state.log
    },
    reset: () => resetContext(sim),
  }
}
