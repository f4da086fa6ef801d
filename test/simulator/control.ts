import { mergeConfig, type SimulatorConfig, type SimulatorConfigPatch } from './config.ts'
import type { SimContext } from './context.ts'
import type { Draft } from './draft.ts'
import type { Fault, FaultInput } from './faults.ts'
import { SimState, type Credits, type TokenRecord, type TurnOverride } from './state.ts'

/** In-process fault injection and inspection; `/__sim/*` mirrors it over HTTP. */
export interface SimulatorControl {
  readonly config: SimulatorConfig
  /** Changes the config; nested `sse` and `costs` merge key by key. */
  configure(patch: SimulatorConfigPatch): SimulatorConfig
  /** Arms a fault (validated); answers it with its defaults filled in. */
  fault(fault: FaultInput): Fault
  faults(): Fault[]
  clearFaults(): void
  /** Moves the simulated clock forward (token expiry, rate-limit windows, time-mode renders). */
  advanceClock(ms: number): void
  now(): number
  expireToken(token: string): boolean
  expireAllTokens(): void
  /**
   * A registered user's `nmv_usr_…` token with the render scope and its own credits. With `bind`
   * (an anonymous user id, as in the registration link's `?bind=`), the new account takes over
   * that anonymous user's sessions and renders, as registering through the link does.
   */
  /** A registered user's API token; `token` names it (a deployment's own NEMO_TOKEN in tests). */
  createUserToken(opts?: { credits?: number; bind?: string; token?: string }): {
    token: string
    userId: string
  }
  setCredits(tokenOrAll: string | 'all', available: number): void
  credits(token: string): Credits | undefined
  dropSession(sessionId: string): boolean
  dropAllSessions(): void
  /** A copy of a session's draft, or undefined. */
  draft(sessionId: string): Draft | undefined
  sessionIds(): string[]
  /** Forces properties of the next chat turn (any session); queued, one per turn. */
  nextTurn(override: TurnOverride): void
  /** Turns streaming right now, per session. */
  runningTurns(): Record<string, number>
  renders(): Array<{
    id: string
    sessionId: string
    width: number
    height: number
    polls: number
    cancelled: boolean
  }>
  token(token: string): Omit<TokenRecord, 'credits'> | undefined
}

export function createControl(sim: SimContext): SimulatorControl {
  const tokenRecord = (token: string) => sim.state.tokens.get(token)
  return {
    get config() {
      return sim.state.config
    },
    configure(patch) {
      sim.state.config = mergeConfig(sim.state.config, patch)
      return sim.state.config
    },
    fault: (fault) => sim.faults.add(fault),
    faults: () => sim.faults.list(),
    clearFaults: () => sim.faults.clear(),
    advanceClock(ms) {
      sim.state.clockOffsetMs += ms
    },
    now: () => sim.state.now(),
    expireToken(token) {
      const record = tokenRecord(token)
      if (record) ageOut(sim.state, record)
      return Boolean(record)
    },
    expireAllTokens() {
      for (const record of sim.state.tokens.values()) ageOut(sim.state, record)
    },
    createUserToken(opts = {}) {
      const record = sim.state.issueToken('user')
      if (opts.token !== undefined) {
        sim.state.tokens.delete(record.token)
        record.token = opts.token
        sim.state.tokens.set(record.token, record)
      }
      if (opts.credits !== undefined)
        Object.assign(record.credits, { available: opts.credits, frozen: 0, total: opts.credits })
      if (opts.bind !== undefined) {
        for (const owned of [...sim.state.sessions.values(), ...sim.state.renders.values()]) {
          if (owned.userId === opts.bind) owned.userId = record.userId
        }
      }
      return { token: record.token, userId: record.userId }
    },
    setCredits(tokenOrAll, available) {
      const records =
        tokenOrAll === 'all' ? [...sim.state.tokens.values()] : [tokenRecord(tokenOrAll)]
      for (const record of records) {
        if (record)
          Object.assign(record.credits, { available, total: available + record.credits.frozen })
      }
    },
    credits: (token) => {
      const credits = tokenRecord(token)?.credits
      return credits && { ...credits }
    },
    dropSession: (id) => sim.state.sessions.delete(id),
    dropAllSessions: () => sim.state.sessions.clear(),
    draft: (id) => {
      const draft = sim.state.sessions.get(id)?.draft
      return draft && structuredClone(draft)
    },
    sessionIds: () => [...sim.state.sessions.keys()],
    nextTurn(override) {
      sim.state.nextTurns.push(override)
    },
    runningTurns: () =>
      Object.fromEntries(
        [...sim.state.sessions.values()].filter((s) => s.running > 0).map((s) => [s.id, s.running]),
      ),
    renders: () =>
      [...sim.state.renders.values()].map(({ id, sessionId, width, height, polls, cancelled }) => ({
        id,
        sessionId,
        width,
        height,
        polls,
        cancelled,
      })),
    token: (token) => {
      const record = tokenRecord(token)
      if (!record) return undefined
      const { credits: _credits, ...rest } = record
      return structuredClone(rest)
    },
  }
}

/**
 * Expires a token as if its 7 days had passed: its client id and its share of the IP cap are free
 * again, so a client can renew it (a `code: 1001` fault, by contrast, frees nothing).
 */
function ageOut(state: SimState, record: TokenRecord): void {
  const now = state.now()
  const aged = now - state.config.tokenTtlMs
  record.expiresAt = Math.min(record.expiresAt, now - 1)
  if (
    record.clientId !== undefined &&
    state.issuedByClient.get(record.clientId) === record.issuedAt
  ) {
    state.issuedByClient.set(record.clientId, aged)
  }
  if (record.ip !== undefined) {
    const times = state.issuedByIp.get(record.ip) ?? []
    const at = times.indexOf(record.issuedAt)
    if (at >= 0) times[at] = aged
  }
}

/** Back to a fresh state with the config the simulator was created with. */
export function resetContext(sim: SimContext): void {
  sim.state = new SimState(sim.initialConfig)
  sim.faults.clear()
}
