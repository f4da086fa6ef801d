import { z } from 'zod'
import { Language, TokenKind } from '../../shared/api/installations.ts'
import type { Env } from '../env.ts'

export const InstallationId = z.string().regex(/^inst_[A-Za-z0-9]{16,64}$/)

/**
 * What KV keeps per installation (`inst:<id>`). Written only by the installation's keeper (its
 * single writer); read by the auth middleware and the upstream client. Secret: never returned,
 * never logged.
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
  language: Language,
  createdAt: z.iso.datetime(),
})
export type InstallationRecord = z.infer<typeof InstallationRecord>

export const kvKey = (installationId: string) => `inst:${installationId}`

/** The record from KV, or null when missing or unreadable (logged without its content). */
export async function readRecordFromKv(env: Env, installationId: string): Promise<InstallationRecord | null> {
  const raw = await env.INSTALLATIONS.get(kvKey(installationId), 'json')
  if (raw === null) return null
  const parsed = InstallationRecord.safeParse(raw)
  if (!parsed.success) {
    console.error('installation record unreadable', { installationId, issues: parsed.error.issues.length })
    return null
  }
  return parsed.data
}

/** A Durable Object stub of the installation's keeper, its single writer. */
export function keeperOf(env: Env, installationId: string) {
  return env.INSTALLATION_KEEPER.get(env.INSTALLATION_KEEPER.idFromName(installationId))
}

/**
 * The record: KV first (fast, cached at the edge); the keeper when KV has none yet, since a fresh
 * write can take a minute to reach other locations.
 */
export async function readRecord(env: Env, installationId: string): Promise<InstallationRecord | null> {
  return (await readRecordFromKv(env, installationId)) ?? (await keeperOf(env, installationId).getRecord())
}
