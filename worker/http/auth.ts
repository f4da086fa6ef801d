import { createMiddleware } from 'hono/factory'
import { InstallationKey } from '../../shared/api/installations.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { readRecord } from '../installations/record.ts'
import { sha256Hex } from '../installations/secret.ts'

/**
 * Ties every call to an installation: `Authorization: Bearer <installationId>.<secret>`. The
 * secret's SHA-256 is compared in constant time with the stored hash; on success
 * `c.var.installationId` is set. Any failure is the same `unauthorized`, whatever was wrong.
 */
export const requireInstallation = createMiddleware<AppEnv>(async function requireInstallation(c, next) {
  const header = c.req.header('Authorization') ?? ''
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
  if (!InstallationKey.safeParse(key).success) throw new WorkerError('unauthorized')
  const dot = key.indexOf('.')
  const installationId = key.slice(0, dot)
  const secret = key.slice(dot + 1)
  const record = await readRecord(c.env, installationId)
  if (!record || !(await hashesEqual(await sha256Hex(secret), record.secretHash))) {
    throw new WorkerError('unauthorized')
  }
  c.set('installationId', installationId)
  return next()
})

async function hashesEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder()
  const left = enc.encode(a)
  const right = enc.encode(b)
  // Both are 64 hex characters; a length mismatch means a corrupt record, not a timing leak.
  // workerd's timingSafeEqual; the DOM lib that preact's JSX types pull in hides it from tsc.
  const subtle = crypto.subtle as unknown as { timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean }
  return left.byteLength === right.byteLength && subtle.timingSafeEqual(left, right)
}
