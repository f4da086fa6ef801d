import type { Context, Next } from 'hono'
import { paths } from '../../shared/api/routes.ts'
import type { AppEnv } from '../env.ts'
import { requireInstallation } from './auth.ts'
import { limitBody } from './body-limit.ts'
import { limitPerAddress, limitPerInstallation, limitRegistrations } from './rate-limit.ts'

const EXPORT_FILE = /^\/v1\/exports\/[^/]+\/file$/

/**
 * Which check a /v1 request gets, each before its body is read, and the body limit before anything
 * parses it: registration is limited per client address, the OpenAPI document is public (limited
 * per address too), a signed download link (`/v1/exports/{id}/file?…&sig=`, opened by the
 * browser's downloads API without headers) is verified by its route, and everything else is
 * limited per address, needs an installation key, and counts against the installation's limit.
 */
export async function guard(c: Context<AppEnv>, next: Next): Promise<Response | void> {
  const { method, path } = c.req
  const limited = async () => {
    await limitBody(c)
    await next()
  }
  if (method === 'POST' && path === paths.installations) return limitRegistrations(c, limited)
  if (method === 'GET' && path === paths.openapi) return limitPerAddress('openapi', c, limited)
  if (
    method === 'GET' &&
    EXPORT_FILE.test(path) &&
    !c.req.header('Authorization') &&
    c.req.query('sig')
  ) {
    return limitPerAddress('link', c, limited)
  }
  return limitPerAddress('api', c, async () => {
    await requireInstallation(c, async () => {
      await limitPerInstallation(c, limited)
    })
  })
}
