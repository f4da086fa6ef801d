import type { Context, Next } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'

// Both limiters count per 60 s window (wrangler.toml): a refused caller may try again after it.
const WINDOW_SEC = 60

/** The route group of a path: `/v1/sessions/…` -> `sessions`. */
function groupOf(path: string): string {
  return path.split('/')[2] ?? 'root'
}

/**
 * Abuse protection per installation and route group (API_RATE_LIMITER). Runs after the
 * installation check, so the key is a verified installation id.
 */
export const limitPerInstallation = createMiddleware<AppEnv>(async function limitPerInstallation(c, next) {
  const key = `${c.var.installationId}:${groupOf(c.req.path)}`
  const { success } = await c.env.API_RATE_LIMITER.limit({ key })
  if (!success) throw rateLimited()
  return next()
})

/** Registrations per client address (REGISTER_RATE_LIMITER on CF-Connecting-IP). */
export const limitRegistrations = createMiddleware<AppEnv>(async function limitRegistrations(c, next) {
  const address = c.req.header('CF-Connecting-IP') ?? 'unknown'
  const { success } = await c.env.REGISTER_RATE_LIMITER.limit({ key: `register:${address}` })
  if (!success) throw rateLimited()
  return next()
})

/** Calls without an installation key (signed download links), per client address and kind. */
export async function limitPerAddress(kind: string, c: Context<AppEnv>, next: Next): Promise<void> {
  const address = c.req.header('CF-Connecting-IP') ?? 'unknown'
  const { success } = await c.env.API_RATE_LIMITER.limit({ key: `${kind}:${address}` })
  if (!success) throw rateLimited()
  await next()
}

function rateLimited(): WorkerError {
  return new WorkerError('rate_limited', { params: { afterMs: WINDOW_SEC * 1000 } })
}
