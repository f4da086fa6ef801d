import type { SimulatorConfig } from './config.ts'
import type { EndpointName } from './faults.ts'
import { FaultBox } from './faults.ts'
import { SimState, type LoggedRequest, type TokenRecord } from './state.ts'

/** What every route reads: the live state (replaced on reset) and the armed faults. */
export interface SimContext {
  state: SimState
  faults: FaultBox
  /** The config `reset()` returns to. */
  initialConfig: SimulatorConfig
}

export function createContext(config: SimulatorConfig): SimContext {
  return { state: new SimState(config), faults: new FaultBox(), initialConfig: config }
}

export type SimEnv = { Variables: { entry: LoggedRequest; auth: TokenRecord } }

const ROUTES: ReadonlyArray<[string, RegExp, EndpointName]> = [
  ['POST', /^\/api\/auth\/anonymous-token$/, 'anonymous-token'],
  ['POST', /^\/api\/tasks\/me\/with-session\/nemo_agent$/, 'session'],
  ['POST', /^\/run_sse$/, 'run_sse'],
  ['POST', /^\/api\/upload-video\/nemo_agent\/me\/[^/]+$/, 'upload'],
  ['GET', /^\/api\/credits\/balance\/simple$/, 'credits'],
  ['GET', /^\/api\/state\/nemo_agent\/me\/[^/]+\/latest$/, 'state'],
  ['POST', /^\/api\/render\/proxy\/lambda$/, 'render-submit'],
  ['GET', /^\/api\/render\/proxy\/lambda\/[^/]+$/, 'render-status'],
  ['POST', /^\/api\/render\/proxy\/lambda\/[^/]+\/cancel$/, 'render-cancel'],
  ['GET', /^\/api\/render\/proxy\/[^/]+\/download$/, 'render-download'],
  ['POST', /^\/api\/auth\/claim-token$/, 'claim'],
  ['GET', /^\/files\/[^/]+$/, 'files'],
  ['GET', /^\/(cdn|stock)\//, 'media'],
]

export function endpointOf(method: string, path: string): EndpointName | undefined {
  return ROUTES.find(
    ([m, re]) => (m === method || (m === 'GET' && method === 'HEAD')) && re.test(path),
  )?.[2]
}

/** Endpoints that answer without a bearer token. */
export const PUBLIC_ENDPOINTS: ReadonlySet<EndpointName> = new Set([
  'anonymous-token',
  'files',
  'media',
])
