import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { unwrap } from '../result.ts'
import { keeperOf, readRecord, type InstallationRecord } from '../installations/record.ts'
import { isTokenFresh } from '../installations/token-policy.ts'

/** The token an upstream call uses, and the way to a fresh one. */
export interface TokenSource {
  /** A token with more than a day left; renewed through the keeper otherwise. */
  current(): Promise<string>
  /** After a 1001: a token other than `stale`, from the keeper (one backend call at most). */
  renew(stale: string): Promise<string>
  /** The anonymous user id, when known, so the client can record a newly revealed one. */
  anonUserId(): Promise<string | undefined>
}

/** Reads the installation's record once (KV, then keeper) and renews through the keeper. */
export function createTokenSource(env: Env, installationId: string): TokenSource {
  let record: InstallationRecord | undefined
  let token: string | undefined

  async function load(): Promise<InstallationRecord> {
    record ??= (await readRecord(env, installationId)) ?? undefined
    if (!record) throw new WorkerError('unauthorized')
    return record
  }

  async function renew(stale: string | null): Promise<string> {
    token = unwrap(await keeperOf(env, installationId).renew(stale))
    return token
  }

  return {
    async current() {
      if (token) return token
      const r = await load()
      if (r.token && isTokenFresh(r.tokenKind, r.tokenExpiresAt)) {
        token = r.token
        return token
      }
      return renew(r.token ?? null)
    },
    renew: (stale) => renew(stale),
    async anonUserId() {
      return (await load()).anonUserId
    },
  }
}
