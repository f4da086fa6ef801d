import type { Context, Next } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'

// The limiters count per 60 s window (wrangler.toml): a refused caller may try again after it.
const WINDOW_SEC = 60

/** The route group of a path: `/v1/sessions/…` -> `sessions`. */
function groupOf(path: string): string {
  return path.split('/')[2] ?? 'root'
}

/**
 * The caller's address as Cloudflare's edge gives it (`CF-Connecting-IP`, which a client cannot
 * set on a request that came through the edge). Absent only in local runs without the edge.
 */
export function clientAddress(c: Context<AppEnv>): string | undefined {
  const value = c.req.header('CF-Connecting-IP')?.trim()
  return value && value.length <= 64 ? value : undefined
}

/**
 * Abuse protection per installation and route group (API_RATE_LIMITER). Runs after the
 * installation check, so the key is a verified installation id.
 */
export const limitPerInstallation = createMiddleware<AppEnv>(
  async function limitPerInstallation(c, next) {
    const key = `${c.var.installationId}:${groupOf(c.req.path)}`
    const { success } = await c.env.API_RATE_LIMITER.limit({ key })
    if (!success) throw rateLimited()
    return next()
  },
)

/** Registrations per client address (REGISTER_RATE_LIMITER on CF-Connecting-IP). */
export const limitRegistrations = createMiddleware<AppEnv>(
  async function limitRegistrations(c, next) {
    const { success } = await c.env.REGISTER_RATE_LIMITER.limit({
      key: `register:${clientAddress(c) ?? 'unknown'}`,
    })
    if (!success) throw rateLimited()
    return next()
  },
)

/**
 * Calls per client address and kind, before any key is looked at: signed download links, the
 * OpenAPI document, and (kind `api`) every keyed call, so a flood from one address stops here.
 */
export async function limitPerAddress(kind: string, c: Context<AppEnv>, next: Next): Promise<void> {
  const limiter = kind === 'api' ? c.env.ADDRESS_RATE_LIMITER : c.env.API_RATE_LIMITER
  const { success } = await limiter.limit({ key: `${kind}:${clientAddress(c) ?? 'unknown'}` })
  if (!success) throw rateLimited()
  await next()
}

/**
 * One failed attempt of the caller's address (a refused key, an unknown installation id, a wrong
 * registration code) against AUTH_FAILURE_LIMITER: past its budget the caller gets 429 instead of
 * another try, before anything else is looked up.
 */
export async function countFailure(c: Context<AppEnv>): Promise<void> {
  const { success } = await c.env.AUTH_FAILURE_LIMITER.limit({
    key: `fail:${clientAddress(c) ?? 'unknown'}`,
  })
  if (!success) throw rateLimited()
}

function rateLimited(): WorkerError {
  return new WorkerError('rate_limited', { params: { afterMs: WINDOW_SEC * 1000 } })
}
