import { createMiddleware } from 'hono/factory'
import { RUN_ID_HEADER } from '../../shared/api/routes.ts'
import { getConfig, type Config } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[A-Za-z0-9._-]+$/
const ALLOW_HEADERS = 'Authorization, Content-Type, Content-Length, Last-Event-ID'
const EXPOSE_HEADERS = `Retry-After, Content-Disposition, ${RUN_ID_HEADER}`

/** Whether a browser origin is one of our extensions (or a pinned one from ALLOWED_ORIGINS). */
export function isAllowedOrigin(origin: string, config: Config): boolean {
  if (config.allowedOrigins.includes(origin)) return true
  return config.allowAnyExtensionOrigin && EXTENSION_ORIGIN.test(origin)
}

/**
 * CORS for the extension only. A request from a web page (any other Origin) is refused with
 * `origin_forbidden` before it reaches a route, so the worker is no open proxy for websites.
 * Requests without an Origin (curl, tests, the extension's service worker on some browsers) pass
 * on to the installation check.
 */
export const cors = createMiddleware<AppEnv>(async function cors(c, next) {
  const origin = c.req.header('Origin')
  if (origin === undefined) return next()
  if (!isAllowedOrigin(origin, getConfig(c.env))) throw new WorkerError('origin_forbidden')
  c.header('Access-Control-Allow-Origin', origin)
  c.header('Vary', 'Origin', { append: true })
  if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) {
    c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS')
    c.header('Access-Control-Allow-Headers', ALLOW_HEADERS)
    c.header('Access-Control-Max-Age', '600')
    return c.body(null, 204)
  }
  c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS)
  await next()
  // A route that returns its own Response (a chat stream, a file) drops headers set before it ran;
  // setting them again re-wraps that Response around the same body stream, nothing is buffered.
  if (c.res.headers.get('Access-Control-Allow-Origin') !== origin) {
    c.header('Access-Control-Allow-Origin', origin)
    c.header('Vary', 'Origin', { append: true })
    c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS)
  }
})
