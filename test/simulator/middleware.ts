import type { MiddlewareHandler } from 'hono'
import { endpointOf, PUBLIC_ENDPOINTS, type SimContext, type SimEnv } from './context.ts'
import { fail, sleep } from './respond.ts'
import type { LoggedRequest } from './state.ts'

export const ATTRIBUTION_HEADERS = [
  'x-skill-source',
  'x-skill-version',
  'x-skill-platform',
] as const

/** Logs every backend request (not `/__sim/`), with its parsed JSON body. */
export function logRequests(sim: SimContext): MiddlewareHandler<SimEnv> {
  return async function logRequests(c, next) {
    const url = new URL(c.req.url)
    if (url.pathname.startsWith('/__sim/')) return next()
    const headers: Record<string, string> = {}
    c.req.raw.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value
    })
    const { state } = sim
    const entry: LoggedRequest = {
      seq: state.log.length + 1,
      time: state.now(),
      method: c.req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      endpoint: endpointOf(c.req.method, url.pathname),
      attribution:
        headers['x-skill-source'] === 'ai-video-creator-online' &&
        Boolean(headers['x-skill-version']) &&
        Boolean(headers['x-skill-platform']),
    }
    if ((headers['content-type'] ?? '').includes('json')) {
      const text = await c.req.text()
      try {
        entry.body = JSON.parse(text)
      } catch {
        entry.body = undefined
      }
    }
    state.log.push(entry)
    c.set('entry', entry)
    await next()
    entry.status = c.res.status
  }
}

/** Applies the generic faults armed for this endpoint before the route runs. */
export function injectFaults(sim: SimContext): MiddlewareHandler<SimEnv> {
  return async function injectFaults(c, next) {
    const endpoint = c.var.entry?.endpoint
    if (!endpoint) return next()
    const slow = sim.faults.take(['slow'], endpoint)
    if (slow) await sleep(slow.delayMs)
    const fault = sim.faults.take(['http', 'code', 'malformed-json'], endpoint)
    const renderish = endpoint.startsWith('render-')
    if (fault?.kind === 'http') {
      return c.html(
        `<html><body><h1>${fault.status} Gateway Error</h1></body></html>`,
        fault.status as 500,
      )
    }
    if (fault?.kind === 'code') {
      const res = fail(fault.code, undefined, renderish ? { success: false } : {})
      if (fault.retryAfterSec !== undefined)
        res.headers.set('Retry-After', String(fault.retryAfterSec))
      return res
    }
    if (fault?.kind === 'malformed-json') {
      return new Response('{"code":0,"data":{"oops"', {
        headers: { 'content-type': 'application/json' },
      })
    }
    return next()
  }
}

/** Bearer token check for every non-public endpoint: 1001 when missing, unknown or expired. */
export function requireToken(sim: SimContext): MiddlewareHandler<SimEnv> {
  return async function requireToken(c, next) {
    const endpoint = c.var.entry?.endpoint
    if (!endpoint || PUBLIC_ENDPOINTS.has(endpoint)) return next()
    const token = sim.state.tokenFor(c.req.header('authorization'))
    if (!token)
      return fail(1001, undefined, endpoint.startsWith('render-') ? { success: false } : {})
    c.set('auth', token)
    return next()
  }
}
