import type {
  FaultInput,
  LoggedRequest,
  SimulatorConfig,
  SimulatorConfigPatch,
  TurnOverride,
} from './index.ts'

/**
 * The simulator's control API over HTTP (`/__sim/*`), as the e2e suite and the demo drive it: the
 * same calls work whether the simulator runs in this process or elsewhere.
 */
export class SimControl {
  readonly baseUrl: string

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '')
  }

  /** Forces properties of the next chat turn (whatever its session). */
  nextTurn(override: TurnOverride): Promise<unknown> {
    return this.#call('POST', '/__sim/next-turn', override)
  }

  /** Arms a fault; `times` defaults to 1. */
  fault(fault: FaultInput): Promise<unknown> {
    return this.#call('POST', '/__sim/faults', fault)
  }

  clearFaults(): Promise<unknown> {
    return this.#call('DELETE', '/__sim/faults')
  }

  faults(): Promise<FaultInput[]> {
    return this.#call('GET', '/__sim/faults') as Promise<FaultInput[]>
  }

  configure(patch: SimulatorConfigPatch): Promise<SimulatorConfig> {
    return this.#call('POST', '/__sim/config', patch) as Promise<SimulatorConfig>
  }

  /**
   * A registered user's API token (`nmv_usr_…`) with the render scope, as a user would paste it.
   * `bind`: the account was registered through the `?bind=<anon id>` link, so it owns that anonymous
   * user's sessions and renders.
   */
  createUserToken(
    opts: { credits?: number; bind?: string } = {},
  ): Promise<{ token: string; userId: string }> {
    return this.#call('POST', '/__sim/user-tokens', opts) as Promise<{
      token: string
      userId: string
    }>
  }

  expireAllTokens(): Promise<unknown> {
    return this.#call('POST', '/__sim/tokens/expire', {})
  }

  setCredits(available: number, token = 'all'): Promise<unknown> {
    return this.#call('POST', '/__sim/credits', { token, available })
  }

  sessionIds(): Promise<string[]> {
    return this.#call('GET', '/__sim/sessions') as Promise<string[]>
  }

  dropAllSessions(): Promise<unknown> {
    return this.#call('DELETE', '/__sim/sessions')
  }

  renders(): Promise<Array<{ id: string; sessionId: string; width: number; height: number }>> {
    return this.#call('GET', '/__sim/renders') as Promise<
      Array<{ id: string; sessionId: string; width: number; height: number }>
    >
  }

  log(endpoint?: string): Promise<LoggedRequest[]> {
    const query = endpoint ? `?endpoint=${encodeURIComponent(endpoint)}` : ''
    return this.#call('GET', `/__sim/log${query}`) as Promise<LoggedRequest[]>
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`)
    return text ? (JSON.parse(text) as unknown) : undefined
  }
}
