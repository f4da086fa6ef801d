import type { Context, Next } from 'hono'
import { paths } from '../../shared/api/routes.ts'
import type { AppEnv } from '../env.ts'
import { requireInstallation } from './auth.ts'
import { limitPerAddress, limitPerInstallation, limitRegistrations } from './rate-limit.ts'

const EXPORT_FILE = /^\/v1\/exports\/[^/]+\/file$/

/**
 * Which check a /v1 request gets: registration is limited per client address, the OpenAPI
 * document is public (limited per address too), a signed download link
 * (`/v1/exports/{id}/file?…&sig=`, opened by the browser's downloads API without headers) is
 * verified by its route, and everything else needs an installation key and counts against the
 * installation's rate limit.
 */
export async function guard(c: Context<AppEnv>, next: Next): Promise<Response | void> {
  const { method, path } = c.req
  if (method === 'POST' && path === paths.installations) return limitRegistrations(c, next)
  if (method === 'GET' && path === paths.openapi) return limitPerAddress('openapi', c, next)
  if (method === 'GET' && EXPORT_FILE.test(path) && !c.req.header('Authorization') && c.req.query('sig')) {
    return limitPerAddress('link', c, next)
  }
  return requireInstallation(c, async () => {
    await limitPerInstallation(c, next)
  })
}
