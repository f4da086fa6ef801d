import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { unwrap } from '../result.ts'
import type { TokenSource } from '../upstream/types.ts'
import { keeperOf, type InstallationRecord } from './record.ts'
import { isTokenFresh } from './token-policy.ts'

/**
 * Reads the installation's record once from its keeper and renews through it. The id is always
 * one that passed the key check (a route's caller, or an object that stored it), so the keeper
 * is asked straight away, without the existence check a guessed id needs (record.ts). `known`:
 * the record the key check of the same request read (as current as the check that let it in), so
 * the first call needs no keeper round trip; a refused token is renewed here as before.
 */
export function createTokenSource(
  env: Env,
  installationId: string,
  known?: InstallationRecord,
): TokenSource {
  let record: InstallationRecord | undefined = known
  let token: string | undefined

  async function load(): Promise<InstallationRecord> {
    record ??= (await keeperOf(env, installationId).getRecord()) ?? undefined
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
    async rememberUserId(userId) {
      if (userId !== (await load()).anonUserId)
        await keeperOf(env, installationId).rememberUserId(userId)
    },
  }
}
