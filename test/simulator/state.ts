import type { SimulatorConfig } from './config.ts'
import { emptyDraft, type Draft, type MediaItem } from './draft.ts'
import { createPrng, hashString, type Prng } from './prng.ts'
import type { EndpointName } from './faults.ts'

export interface Credits {
  available: number
  frozen: number
  total: number
}

export interface TokenRecord {
  token: string
  kind: 'anonymous' | 'user'
  /**
   * `anon_…` for anonymous tokens (derived from the client id, so a renewed token is the same
   * user with the same sessions and credits), `usr_…` for registered users.
   */
  userId: string
  clientId?: string
  ip?: string
  issuedAt: number
  expiresAt: number
  scopes: string[]
  /** Shared by every token of the user. */
  credits: Credits
}

export interface SessionRecord {
  id: string
  taskId: string
  taskName: string
  language: string
  /** The owner: any live token of this user reaches the session. */
  userId: string
  draft: Draft
  media: MediaItem[]
  generated: unknown[]
  rng: Prng
  /** Turns currently streaming for this session (more than one is a client bug). */
  running: number
  turns: number
  editCharged: boolean
}

export interface RenderRecord {
  id: string
  /** The owner: any live token of this user may poll it. */
  userId: string
  sessionId: string
  draft: unknown
  width: number
  height: number
  submittedAt: number
  polls: number
  cancelled: boolean
  failWith?: string
}

/** One request as the simulator saw it. Headers are lower-cased and complete (tokens included). */
export interface LoggedRequest {
  seq: number
  /** Simulated clock, ms since the epoch. */
  time: number
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  endpoint?: EndpointName
  /** The parsed body of a JSON request. */
  body?: unknown
  /** All three X-Skill-* headers were present. */
  attribution: boolean
  /** A `/run_sse` that arrived while another turn of its session was still running. */
  reentrant?: boolean
  /** Bytes of an upload body read so far (final once the answer is sent). */
  uploadBytes?: number
  /** Status of the answer (200 for streams: the stream may still fail later). */
  status?: number
}

/** Override of the next chat turn, whatever its session. */
export interface TurnOverride {
  noText?: boolean
  trailingIssue?: boolean
  style?: 'documented' | 'adk'
}

/** Everything the simulator remembers; `reset()` makes a new one. */
export class SimState {
  config: SimulatorConfig
  clockOffsetMs = 0
  tokens = new Map<string, TokenRecord>()
  /** Issue times of anonymous tokens, by client id and by IP. */
  issuedByClient = new Map<string, number>()
  issuedByIp = new Map<string, number[]>()
  sessions = new Map<string, SessionRecord>()
  renders = new Map<string, RenderRecord>()
  /** Credits per user id. */
  credits = new Map<string, Credits>()
  claims = new Map<string, { sessionId: string; expiresAt: number }>()
  log: LoggedRequest[] = []
  nextTurns: TurnOverride[] = []
  idRng: Prng

  constructor(config: SimulatorConfig) {
    this.config = config
    this.idRng = createPrng(config.seed)
  }

  now(): number {
    return Date.now() + this.clockOffsetMs
  }

  newSession(token: TokenRecord, taskName: string, language: string): SessionRecord {
    let id = ''
    do {
      id = String(this.idRng.int(1, 9))
      for (let i = 0; i < 18; i++) id += String(this.idRng.int(0, 9))
    } while (this.sessions.has(id))
    const session: SessionRecord = {
      id,
      taskId: `task_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`,
      taskName,
      language,
      userId: token.userId,
      draft: emptyDraft(),
      media: [],
      generated: [],
      rng: createPrng(hashString(id, this.config.seed)),
      running: 0,
      turns: 0,
      editCharged: false,
    }
    this.sessions.set(id, session)
    return session
  }

  issueToken(
    kind: 'anonymous' | 'user',
    extra: { clientId?: string; ip?: string; issuedAt?: number } = {},
  ): TokenRecord {
    const hex =
      crypto.randomUUID().replace(/-/g, '') + crypto.randomUUID().replace(/-/g, '').slice(0, 8)
    // The caller's instant when it has one: the per-client and per-IP windows key on it.
    const now = extra.issuedAt ?? this.now()
    const userId =
      kind === 'anonymous' && extra.clientId !== undefined
        ? `anon_${hashString(extra.clientId).toString(16).padStart(8, '0')}${hashString(extra.clientId, 7).toString(16).padStart(8, '0')}`
        : `${kind === 'anonymous' ? 'anon' : 'usr'}_${hex.slice(0, 16)}`
    let credits = this.credits.get(userId)
    if (!credits) {
      const start = kind === 'anonymous' ? this.config.anonymousCredits : this.config.userCredits
      credits = { available: start, frozen: 0, total: start }
      this.credits.set(userId, credits)
    }
    const record: TokenRecord = {
      token: kind === 'anonymous' ? `nmv_anon_${hex}` : `nmv_usr_${hex}`,
      kind,
      userId,
      ...extra,
      issuedAt: now,
      expiresAt: now + this.config.tokenTtlMs,
      scopes:
        kind === 'anonymous' && this.config.anonymousRenderBlocked
          ? ['read', 'write', 'upload']
          : ['read', 'write', 'upload', 'render'],
      credits,
    }
    this.tokens.set(record.token, record)
    return record
  }

  /** The live record of a bearer token, or undefined if unknown or expired. */
  tokenFor(authorization: string | undefined): TokenRecord | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    const record = match ? this.tokens.get(match[1] as string) : undefined
    return record && record.expiresAt > this.now() ? record : undefined
  }
}
