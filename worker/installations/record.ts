import { z } from 'zod'
import { Language, TokenKind } from '../../shared/api/installations.ts'
import type { Env } from '../env.ts'
import { registryOf } from './registry.ts'
import { isVerified } from './verified-ids.ts'

export const InstallationId = z.string().regex(/^inst_[A-Za-z0-9]{16,64}$/)

/**
 * What KV keeps per installation (`inst:<id>`), a cache of the keeper's record. Written only by
 * the installation's keeper (its single writer). Secret: never returned, never logged.
 */
export const InstallationRecord = z.object({
  v: z.literal(1),
  installationId: InstallationId,
  /** SHA-256 of the installation secret, hex. */
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The X-Client-Id the current anonymous token was issued for. */
  clientId: z.string().min(1).max(64),
  /** Absent while the backend refuses this installation a token (its per-address cap). */
  token: z.string().min(1).optional(),
  /** When the token runs out; absent for a user's own API token (its expiry is unknown). */
  tokenExpiresAt: z.iso.datetime().optional(),
  tokenKind: TokenKind,
  /** The backend's anonymous user id (`anon_…`), for the registration link's `?bind=`. */
  anonUserId: z.string().optional(),
  /** Uses the deployment's NEMO_TOKEN (a private deployment); the token itself is never stored. */
  team: z.boolean().optional(),
  language: Language,
  createdAt: z.iso.datetime(),
})
export type InstallationRecord = z.infer<typeof InstallationRecord>

export const kvKey = (installationId: string) => `inst:${installationId}`

/** The record from KV, or null when missing or unreadable (logged without its content). */
export async function readRecordFromKv(
  env: Env,
  installationId: string,
): Promise<InstallationRecord | null> {
  const raw = await env.INSTALLATIONS.get(kvKey(installationId), 'json')
  if (raw === null) return null
  const parsed = InstallationRecord.safeParse(raw)
  if (!parsed.success) {
    console.error('installation record unreadable', {
      installationId,
      issues: parsed.error.issues.length,
    })
    return null
  }
  return parsed.data
}

/** A Durable Object stub of the installation's keeper, its single writer. */
export function keeperOf(env: Env, installationId: string) {
  return env.INSTALLATION_KEEPER.get(env.INSTALLATION_KEEPER.idFromName(installationId))
}

/**
 * Whether an installation id exists, checked without touching its keeper: an id this isolate saw
 * verified (verified-ids.ts), else KV (a cache that knows almost every live id), the registry when
 * KV does not. `onMiss` runs before the registry is asked (the key check counts the miss against
 * the caller's address there).
 */
export async function isRegistered(
  env: Env,
  installationId: string,
  onMiss?: () => Promise<void>,
): Promise<boolean> {
  if (isVerified(installationId)) return true
  // Existence only (the keeper's record is the one read): every keyed call passes here.
  if ((await env.INSTALLATIONS.get(kvKey(installationId)).catch(() => null)) !== null) return true
  await onMiss?.()
  return registryOf(env).has(installationId)
}

/**
 * The authoritative record, from the keeper: a token cleared or an installation reset a moment ago
 * is gone there, while KV may serve the old copy for a minute (or keep a late write for good). The
 * keeper is asked only for an id that exists, so a guessed id creates no storage.
 */
export async function readRecord(
  env: Env,
  installationId: string,
): Promise<InstallationRecord | null> {
  if (!(await isRegistered(env, installationId))) return null
  return keeperOf(env, installationId).getRecord()
}
