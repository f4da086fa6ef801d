import { DurableObject } from 'cloudflare:workers'
import { z } from 'zod'
import type { TokenKind } from '../../shared/api/installations.ts'
import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'
import { UpstreamError, WorkerError } from '../errors.ts'
import { checkApiToken, requestAnonymousToken, type IssuedToken } from '../upstream/auth-calls.ts'
import { fail, ok, type Result } from '../result.ts'
import { InstallationRecord, kvKey } from './record.ts'
import { registryOf } from './registry.ts'
import { teamTokenOf } from './team.ts'
import { REFUSAL_BACKOFF_MS, isTokenFresh } from './token-policy.ts'

/** The keeper's own copy: the KV record plus what only the single writer needs. */
const KeeperState = InstallationRecord.extend({
  /** The anonymous token kept aside while the user's own token is in use. */
  parked: z
    .object({ token: z.string(), expiresAt: z.iso.datetime(), clientId: z.string() })
    .optional(),
  tokenRefusedAt: z.number().optional(),
})
type KeeperState = z.infer<typeof KeeperState>

export interface NewInstallation {
  installationId: string
  secretHash: string
  language: string
  createdAt: string
}

/** Where the registration came from: the client's address goes to the backend's per-IP cap. */
export interface RegistrationContext {
  clientAddress?: string
}

export interface TokenState {
  tokenKind: TokenKind
  /** The backend refused an anonymous token: the user's own API token is the way on. */
  needsApiToken: boolean
}

/**
 * The single writer of one installation (`idFromName(installationId)`). It keeps the
 * authoritative record in SQLite and mirrors it to KV (a cache: authentication, revocation and
 * reset read this object, so a lagging or late KV write can never keep a key or a token alive). It
 * is the only code that asks the backend for a token: concurrent renewals share one in-flight
 * request, and a caller holding a token that was already replaced gets the new one without a
 * backend call. It also lists the installation's export jobs for the export engineer.
 *
 * Its tables are created at registration, never in the constructor: a lookup of an id that was
 * never registered reads nothing and leaves no storage behind (issue 11: 700 random keys left 700
 * databases).
 */
export class InstallationKeeper extends DurableObject<Env> {
  #inflight: Promise<Result<string>> | null = null
  #schema = false
  /**
   * The state as last parsed, with the text it was parsed from: every key check reads the state,
   * and the same text is not parsed (and validated) again.
   */
  #parsed: { text: string; state: KeeperState } | undefined

  /**
   * Creates the installation with its first token: the deployment's team token when NEMO_TOKEN is
   * set (no anonymous token is asked for), an anonymous one otherwise; a refused anonymous token
   * still creates it.
   */
  async register(
    input: NewInstallation,
    context: RegistrationContext = {},
  ): Promise<Result<TokenState>> {
    const existing = this.#load()
    if (existing) return ok(tokenStateOf(existing, this.env))
    let state: KeeperState = InstallationRecord.parse({
      v: 1,
      ...input,
      clientId: crypto.randomUUID(),
      tokenKind: 'anonymous',
    })
    if (teamTokenOf(this.env)) {
      state = { ...state, tokenKind: 'user', team: true }
    } else {
      try {
        state = withAnonymous(
          state,
          await this.#obtainAnonymous(state.clientId, context.clientAddress),
        )
      } catch (err) {
        if (!(err instanceof UpstreamError && err.code === 'registration_capped'))
          return fail(err, 'installation keeper')
        state = { ...state, tokenRefusedAt: Date.now() }
      }
    }
    await registryOf(this.env).add(state.installationId)
    await this.#save(state)
    return ok(tokenStateOf(state, this.env))
  }

  /**
   * The authoritative record (a team installation's token filled in from NEMO_TOKEN), or null for
   * an id that was never registered or was reset.
   */
  async getRecord(): Promise<InstallationRecord | null> {
    const state = this.#load()
    return state ? withTeamToken(publicRecord(state), this.env) : null
  }

  /**
   * A usable token. `staleToken` is the one the caller holds (null if none): when the keeper has
   * another fresh one already, that one is returned without asking the backend.
   */
  async renew(staleToken: string | null): Promise<Result<string>> {
    const state = this.#load()
    if (!state) return fail(new WorkerError('unauthorized'), 'installation keeper')
    if (state.token && state.token !== staleToken && isFresh(state)) return ok(state.token)
    const team = state.team && !state.token ? teamTokenOf(this.env) : undefined
    if (team && team !== staleToken) return ok(team)
    if (state.tokenKind === 'user') {
      // The backend refused the user's own token: only the user can hand over another one.
      return fail(
        new UpstreamError('token_expired', {
          upstreamCode: 1001,
          action: { kind: 'set_api_token' },
        }),
        'installation keeper',
      )
    }
    this.#inflight ??= this.#renewAnonymous().finally(() => {
      this.#inflight = null
    })
    return this.#inflight
  }

  /** Checks the user's own API token with the backend and uses it from now on. */
  async setUserToken(token: string): Promise<Result<TokenState>> {
    const state = this.#load()
    if (!state) return fail(new WorkerError('unauthorized'), 'installation keeper')
    try {
      await checkApiToken(getConfig(this.env), token)
    } catch (err) {
      return fail(err, 'installation keeper')
    }
    const parked =
      state.tokenKind === 'anonymous' && state.token && state.tokenExpiresAt
        ? { token: state.token, expiresAt: state.tokenExpiresAt, clientId: state.clientId }
        : state.parked
    const next: KeeperState = {
      ...state,
      token,
      tokenKind: 'user',
      tokenExpiresAt: undefined,
      parked,
    }
    await this.#save(next)
    return ok(tokenStateOf(next, this.env))
  }

  /**
   * Forgets the user's own token and goes back to the team token (a private deployment) or an
   * anonymous one: the parked one if fresh, else a new one for the same client id.
   */
  async clearUserToken(context: RegistrationContext = {}): Promise<Result<TokenState>> {
    const state = this.#load()
    if (!state) return fail(new WorkerError('unauthorized'), 'installation keeper')
    if (state.team) {
      const next: KeeperState = {
        ...state,
        tokenKind: 'user',
        token: undefined,
        tokenExpiresAt: undefined,
      }
      await this.#save(next)
      return ok(tokenStateOf(next, this.env))
    }
    if (state.tokenKind === 'anonymous') return ok(tokenStateOf(state, this.env))
    let next: KeeperState = {
      ...state,
      tokenKind: 'anonymous',
      token: undefined,
      tokenExpiresAt: undefined,
      parked: undefined,
    }
    const parked = state.parked
    if (parked && isTokenFresh('anonymous', parked.expiresAt)) {
      next = {
        ...next,
        token: parked.token,
        tokenExpiresAt: parked.expiresAt,
        clientId: parked.clientId,
      }
    } else {
      try {
        const clientId = parked?.clientId ?? state.clientId
        next = withAnonymous(next, await this.#obtainAnonymous(clientId, context.clientAddress))
      } catch (err) {
        if (!(err instanceof UpstreamError && err.code === 'registration_capped'))
          return fail(err, 'installation keeper')
        // The user's token goes anyway: they asked for it to be forgotten.
        next = { ...next, tokenRefusedAt: Date.now() }
      }
    }
    await this.#save(next)
    return ok(tokenStateOf(next, this.env))
  }

  /** Records the backend's anonymous user id (for `?bind=`) the first time a call reveals it. */
  async rememberUserId(userId: string): Promise<void> {
    const state = this.#load()
    if (!state || state.tokenKind !== 'anonymous' || state.anonUserId === userId) return
    await this.#save({ ...state, anonUserId: userId })
  }

  /**
   * Forgets the installation: its record here (at once: every key check reads it here) and in KV,
   * and its job list. A KV write still in flight may land afterwards; it is only a cache and
   * cannot bring the key back.
   */
  async reset(): Promise<void> {
    const installationId = this.#load()?.installationId
    this.#inflight = null
    await this.ctx.storage.deleteAll()
    this.#schema = false
    if (installationId) {
      await registryOf(this.env).remove(installationId)
      await this.env.INSTALLATIONS.delete(kvKey(installationId))
    }
  }

  /** Remembers an export job of this installation; registering it twice changes nothing. */
  async registerJob(job: { jobId: string; sessionId: string; createdAt: string }): Promise<void> {
    if (!this.#hasSchema()) this.#createSchema()
    this.ctx.storage.sql.exec(
      'INSERT OR IGNORE INTO jobs (job_id, session_id, created_at) VALUES (?, ?, ?)',
      job.jobId,
      job.sessionId,
      job.createdAt,
    )
  }

  /** The installation's export job ids, newest first. */
  async listJobIds(): Promise<string[]> {
    if (!this.#hasSchema()) return []
    return this.ctx.storage.sql
      .exec<{ job_id: string }>('SELECT job_id FROM jobs ORDER BY created_at DESC, rowid DESC')
      .toArray()
      .map((row) => row.job_id)
  }

  /**
   * Takes one of the installation's upload slots of this kind (`stream`: uploads streaming now;
   * `large`: large uploads open, each may hold up to 500 MB in R2) for `ttlMs` at most, so a slot
   * a crashed request never gave back frees itself. False when all `max` are taken.
   */
  async openUpload(
    kind: 'stream' | 'large',
    id: string,
    max: number,
    ttlMs: number,
  ): Promise<boolean> {
    if (!this.#load()) return false
    const sql = this.ctx.storage.sql
    const now = Date.now()
    sql.exec(
      'CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, kind TEXT NOT NULL, expires_at INTEGER NOT NULL)',
    )
    sql.exec('DELETE FROM uploads WHERE expires_at <= ?', now)
    const open = sql
      .exec<{ n: number }>('SELECT count(*) AS n FROM uploads WHERE kind = ? AND id != ?', kind, id)
      .one().n
    if (open >= max) return false
    sql.exec(
      'INSERT OR REPLACE INTO uploads (id, kind, expires_at) VALUES (?, ?, ?)',
      id,
      kind,
      now + ttlMs,
    )
    return true
  }

  /** Gives an upload slot back (the upload ended, however). */
  async closeUpload(id: string): Promise<void> {
    if (!this.#hasSchema()) return
    this.ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, kind TEXT NOT NULL, expires_at INTEGER NOT NULL)',
    )
    this.ctx.storage.sql.exec('DELETE FROM uploads WHERE id = ?', id)
  }

  async #renewAnonymous(): Promise<Result<string>> {
    const before = this.#load()
    if (!before) return fail(new WorkerError('unauthorized'), 'installation keeper')
    if (
      before.tokenRefusedAt !== undefined &&
      Date.now() - before.tokenRefusedAt < REFUSAL_BACKOFF_MS
    ) {
      return fail(
        new UpstreamError('registration_capped', { action: { kind: 'set_api_token' } }),
        'installation keeper',
      )
    }
    // The same client id, always: once the old token's 7 days are over (or the backend dropped it)
    // it gets a new token and keeps the backend's anonymous user, with its sessions and renders. A
    // refusal is waited out once (auth-calls.ts), never answered with a new id (token-policy.ts).
    // No client address here: a renewal runs for whichever request found the token stale.
    let issued: IssuedWithClient
    try {
      issued = await this.#obtainAnonymous(before.clientId, undefined)
    } catch (err) {
      if (err instanceof UpstreamError && err.code === 'registration_capped') {
        const current = this.#load()
        if (current) await this.#save({ ...current, tokenRefusedAt: Date.now() })
      }
      return fail(err, 'installation keeper')
    }
    // Read again: the user may have set their own token or reset while the call ran.
    const current = this.#load()
    if (!current) return fail(new WorkerError('unauthorized'), 'installation keeper')
    if (current.tokenKind === 'user' && current.token) return ok(current.token)
    const next = withAnonymous(current, issued)
    await this.#save(next)
    return ok(issued.token)
  }

  /** An anonymous token for this client id (a 429 is retried once with the same id). */
  async #obtainAnonymous(
    clientId: string,
    clientAddress: string | undefined,
  ): Promise<IssuedWithClient> {
    return {
      clientId,
      ...(await requestAnonymousToken(getConfig(this.env), clientId, clientAddress)),
    }
  }

  /** Whether this object's tables exist, without creating anything. */
  #hasSchema(): boolean {
    if (this.#schema) return true
    this.#schema =
      this.ctx.storage.sql
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'installation'",
        )
        .one().n > 0
    return this.#schema
  }

  #createSchema(): void {
    this.#schema = true
    this.ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS installation (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS jobs (
        job_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, created_at TEXT NOT NULL
      );`)
  }

  #load(): KeeperState | null {
    if (!this.#hasSchema()) return null
    const row = this.ctx.storage.sql
      .exec<{ state: string }>('SELECT state FROM installation WHERE id = 1')
      .toArray()[0]
    if (!row) return null
    if (this.#parsed?.text === row.state) return this.#parsed.state
    const parsed = KeeperState.safeParse(JSON.parse(row.state))
    if (!parsed.success) {
      console.error('installation keeper state unreadable', { issues: parsed.error.issues.length })
      return null
    }
    this.#parsed = { text: row.state, state: parsed.data }
    return parsed.data
  }

  async #save(state: KeeperState): Promise<void> {
    const valid = KeeperState.parse(state)
    if (!this.#hasSchema()) this.#createSchema()
    this.ctx.storage.sql.exec(
      'INSERT INTO installation (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state',
      JSON.stringify(valid),
    )
    await this.#mirror(valid)
  }

  /**
   * Copies the record to KV. KV takes one write per second per key: a refused write is tried once
   * more a second later, then left (the keeper stays authoritative; a stale token read from KV
   * ends in a 1001, and `renew` hands out the current one).
   */
  async #mirror(state: KeeperState): Promise<void> {
    const key = kvKey(state.installationId)
    const value = JSON.stringify(publicRecord(state))
    try {
      await this.env.INSTALLATIONS.put(key, value)
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1100))
      // Reset (or replaced) meanwhile: the older copy is not written back.
      const current = this.#load()
      if (!current || JSON.stringify(publicRecord(current)) !== value) return
      await this.env.INSTALLATIONS.put(key, value).catch((err: unknown) => {
        console.warn('installation record not mirrored to KV', { name: (err as Error).name })
      })
    }
  }
}

type IssuedWithClient = IssuedToken & { clientId: string }

function withAnonymous(state: KeeperState, issued: IssuedWithClient): KeeperState {
  return {
    ...state,
    token: issued.token,
    tokenExpiresAt: issued.expiresAt,
    clientId: issued.clientId,
    tokenKind: 'anonymous',
    anonUserId: issued.userId,
    tokenRefusedAt: undefined,
  }
}

function isFresh(state: KeeperState): boolean {
  return isTokenFresh(state.tokenKind, state.tokenExpiresAt)
}

function tokenStateOf(state: KeeperState, env: Env): TokenState {
  const team = state.team && !state.token && teamTokenOf(env) !== undefined
  return { tokenKind: state.tokenKind, needsApiToken: !state.token && !team }
}

/** A team installation's record with the deployment's token, which is never copied into storage. */
function withTeamToken(record: InstallationRecord, env: Env): InstallationRecord {
  if (!record.team || record.token) return record
  const token = teamTokenOf(env)
  return token ? { ...record, token } : record
}

function publicRecord(state: KeeperState): InstallationRecord {
  return InstallationRecord.parse(state)
}
