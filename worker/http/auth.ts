import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { InstallationKey } from '../../shared/api/installations.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { isRegistered, keeperOf } from '../installations/record.ts'
import { sha256Hex } from '../installations/secret.ts'
import { forget, remember } from '../installations/verified-ids.ts'
import { countFailure } from './rate-limit.ts'

/**
 * Ties every call to an installation: `Authorization: Bearer <installationId>.<secret>`. The
 * secret's SHA-256 is compared in constant time with the hash the installation's keeper holds (the
 * single writer, so a reset key fails at once; KV is only a cache). The keeper is asked only for an
 * id that exists (verified here before, else KV, else the registry), so a guessed id creates no
 * storage. An id KV does not know costs the caller's address one failed attempt before the
 * registry is asked, and every refusal costs one too: past the budget the answer is 429. Any
 * failure is the same `unauthorized`, whatever was wrong. On success `c.var.installationId` is set.
 */
export const requireInstallation = createMiddleware<AppEnv>(
  async function requireInstallation(c, next) {
    const header = c.req.header('Authorization') ?? ''
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!InstallationKey.safeParse(key).success) return refuse(c)
    const dot = key.indexOf('.')
    const installationId = key.slice(0, dot)
    const secret = key.slice(dot + 1)
    // A fresh registration may not have reached this location's KV yet: it pays like a failure.
    let missed = false
    const onMiss = async () => {
      missed = true
      await countFailure(c)
    }
    if (!(await isRegistered(c.env, installationId, onMiss))) return refuse(c, missed)
    const record = await keeperOf(c.env, installationId).getRecord()
    if (!record) forget(installationId)
    if (!record || !(await hashesEqual(await sha256Hex(secret), record.secretHash)))
      return refuse(c, missed)
    remember(installationId)
    c.set('installationId', installationId)
    c.set('installation', record)
    return next()
  },
)

async function refuse(c: Context<AppEnv>, counted = false): Promise<never> {
  if (!counted) await countFailure(c)
  throw new WorkerError('unauthorized')
}

async function hashesEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder()
  const left = enc.encode(a)
  const right = enc.encode(b)
  // Both are 64 hex characters; a length mismatch means a corrupt record, not a timing leak.
  // workerd's timingSafeEqual; the DOM lib that preact's JSX types pull in hides it from tsc.
  const subtle = crypto.subtle as unknown as {
    timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean
  }
  return left.byteLength === right.byteLength && subtle.timingSafeEqual(left, right)
}
