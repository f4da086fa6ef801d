import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env.ts'
import { sha256Hex } from './secret.ts'

const DAY_MS = 24 * 3600 * 1000

export interface BudgetLimits {
  /** Registrations one client address may make per 24 h. */
  perAddress: number
  /** Registrations the whole deployment makes per 24 h (every one may cost a backend token). */
  global: number
}

export type BudgetAnswer = { granted: true } | { granted: false; retryAfterMs: number }

/**
 * The deployment's one registry (`idFromName('global')`), for what must be exact across all
 * installations:
 * - which installation ids exist: a key whose id KV does not know is looked up here, never in an
 *   installation's keeper, so an id that was never registered costs no storage (issue 11: 700
 *   random keys left 700 databases). Only a KV miss comes here (a registration that has not
 *   reached this location's KV yet, or a guess), and those are limited per address first;
 * - the registration budgets: grants per client address and in all over a rolling 24 h, so one
 *   address cannot spend the backend's free-account quota for everyone, and a flood of addresses
 *   cannot spend all of it in a day. The burst limiter (REGISTER_RATE_LIMITER) stays in front.
 *   Addresses are kept as salted hashes, only as long as they count.
 */
export class InstallationRegistry extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS grants (address TEXT NOT NULL, at INTEGER NOT NULL); ' +
        'CREATE INDEX IF NOT EXISTS grants_address ON grants (address, at); ' +
        'CREATE INDEX IF NOT EXISTS grants_at ON grants (at); ' +
        'CREATE TABLE IF NOT EXISTS installations (id TEXT PRIMARY KEY)',
    )
  }

  /** Records a new installation id (before its keeper is written, so a lookup never misses it). */
  async add(installationId: string): Promise<void> {
    this.ctx.storage.sql.exec('INSERT OR IGNORE INTO installations (id) VALUES (?)', installationId)
  }

  /** Forgets an installation id (reset). */
  async remove(installationId: string): Promise<void> {
    this.ctx.storage.sql.exec('DELETE FROM installations WHERE id = ?', installationId)
  }

  /** Whether an installation id was registered and not reset. */
  async has(installationId: string): Promise<boolean> {
    return (
      this.ctx.storage.sql
        .exec('SELECT 1 FROM installations WHERE id = ?', installationId)
        .toArray().length > 0
    )
  }

  /** Takes one registration from both budgets, or says how long until one is free again. */
  async take(address: string, limits: BudgetLimits, now = Date.now()): Promise<BudgetAnswer> {
    const sql = this.ctx.storage.sql
    const since = now - DAY_MS
    sql.exec('DELETE FROM grants WHERE at <= ?', since)
    const hashed = await sha256Hex(`pagereel-registration:${address}`)
    const refusal = (oldest: number | null) => ({
      granted: false as const,
      retryAfterMs: Math.max(1000, (oldest ?? now) + DAY_MS - now),
    })
    const mine = sql
      .exec<{ n: number; oldest: number | null }>(
        'SELECT count(*) AS n, min(at) AS oldest FROM grants WHERE address = ?',
        hashed,
      )
      .one()
    if (mine.n >= limits.perAddress) return refusal(mine.oldest)
    const all = sql
      .exec<{ n: number; oldest: number | null }>(
        'SELECT count(*) AS n, min(at) AS oldest FROM grants',
      )
      .one()
    if (all.n >= limits.global) return refusal(all.oldest)
    sql.exec('INSERT INTO grants (address, at) VALUES (?, ?)', hashed, now)
    return { granted: true }
  }
}

/** The deployment's one registry object. */
export function registryOf(env: Env) {
  return env.INSTALLATION_REGISTRY.get(env.INSTALLATION_REGISTRY.idFromName('global'))
}
