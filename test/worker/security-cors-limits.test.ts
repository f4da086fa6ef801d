import { env } from 'cloudflare:workers'
import { describe, it, type ExpectStatic } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { api, json, register, sim, uniqueIp } from './helpers.ts'

/**
 * CORS and abuse limits on every route of the OpenAPI document (read at run time, so new routes
 * are covered): web origins are refused before anything runs, extension origins are let in, and
 * every route group has a per-installation limit (registration, the document and signed links a
 * per-address one) that answers 429 with Retry-After in the shared envelope.
 */

interface Operation {
  method: string
  path: string
}

const WEB_ORIGINS = [
  'https://evil.example',
  'http://localhost:3000',
  'null',
  'https://chrome-extension.evil.example',
  'chrome-extension://abc/../../evil',
  'moz-extension://abcdefgh.evil.example:8443',
  'file://',
]
const EXTENSION_ORIGINS = [
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  'moz-extension://0b1c2d3e-aaaa-bbbb-cccc-123456789abc',
]

/** Every documented operation, with made-up (well-formed) ids in its path. */
async function operations(): Promise<Operation[]> {
  const doc = (await (await api(paths.openapi)).json()) as {
    paths: Record<string, Record<string, unknown>>
  }
  return Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      path: template
        .replace('{sessionId}', 'ses_AAAAAAAAAAAAAAAAAAAA')
        .replace('{runId}', 'run_AAAAAAAAAAAAAAAAAAAA')
        .replace('{jobId}', 'job_AAAAAAAAAAAAAAAAAAAA'),
    })),
  )
}

describe('CORS on every route', () => {
  it('refuses web origins, requests and preflights alike, before anything reaches the backend', async ({
    expect,
  }) => {
    const { key } = await register()
    const ops = await operations()
    expect(ops.length).toBeGreaterThanOrEqual(20)
    const before = sim.log.length
    for (const { method, path } of ops) {
      for (const origin of WEB_ORIGINS) {
        const where = `${method} ${path} from ${origin}`
        const res = await api(
          path,
          {
            ...json(method, {}),
            ...(method === 'GET' && { body: null }),
            headers: { Origin: origin, 'Content-Type': 'application/json' },
          },
          key,
        )
        expect(res.status, where).toBe(403)
        expect(ErrorEnvelope.parse(await res.json()).error.code, where).toBe('origin_forbidden')
        expect(res.headers.get('Access-Control-Allow-Origin'), where).toBeNull()

        const pre = await api(path, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': method,
            'Access-Control-Request-Headers': 'authorization,content-type',
          },
        })
        expect(pre.status, `preflight ${where}`).toBe(403)
        expect(pre.headers.get('Access-Control-Allow-Origin'), `preflight ${where}`).toBeNull()
        expect(pre.headers.get('Access-Control-Allow-Methods'), `preflight ${where}`).toBeNull()
      }
    }
    expect(sim.log.length).toBe(before)
  })

  it('lets extension origins in on every route, preflight included, and names only that origin', async ({
    expect,
  }) => {
    const { key } = await register()
    for (const { method, path } of await operations()) {
      for (const origin of EXTENSION_ORIGINS) {
        const where = `${method} ${path} from ${origin}`
        const pre = await api(path, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': method,
            'Access-Control-Request-Headers': 'authorization,content-type,last-event-id',
          },
        })
        expect(pre.status, `preflight ${where}`).toBe(204)
        expect(pre.headers.get('Access-Control-Allow-Origin'), where).toBe(origin)
        expect(pre.headers.get('Access-Control-Allow-Methods'), where).toContain(method)
        // The actual call (made-up ids, so mostly a 4xx) carries the origin back, error or not.
        const res = await api(
          path,
          { method, headers: { Origin: origin } },
          method === 'DELETE' && path === paths.me ? undefined : key,
        )
        expect(res.status, where).not.toBe(403)
        expect(res.headers.get('Access-Control-Allow-Origin'), where).toBe(origin)
        expect(res.headers.get('Access-Control-Allow-Origin'), where).not.toBe('*')
        await res.body?.cancel()
      }
    }
  })
})

/**
 * Uses up a limiter key's allowance directly through the binding (hundreds of HTTP calls would
 * take most of a window, and a window that rolls over mid-test resets the count), in batches
 * sent at once: one by one, the 600 calls of a key took seconds on a loaded machine.
 */
async function exhaust(key: string): Promise<void> {
  const BATCH = 50
  for (let sent = 0; sent < 5_000; sent += BATCH) {
    const answers = await Promise.all(
      Array.from({ length: BATCH }, () => env.API_RATE_LIMITER.limit({ key })),
    )
    if (answers.some((a) => !a.success)) return
  }
  throw new Error(`limiter key ${key} never ran out`)
}

/** The limiters' window (wrangler.toml: period = 60); windows are aligned to the clock. */
const WINDOW_MS = 60_000

/**
 * Waits for a fresh window when less than `needMs` of the current one is left: a window that
 * rolls over between using up a count and the calls that must be refused resets the count.
 */
async function windowWithRoom(needMs: number): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS)
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 250))
}

async function expectRateLimited(expect: ExpectStatic, res: Response, where: string) {
  expect(res.status, where).toBe(429)
  expect(Number(res.headers.get('Retry-After')), where).toBeGreaterThan(0)
  const { error } = ErrorEnvelope.parse(await res.json())
  expect(error.code, where).toBe('rate_limited')
  expect(error.action, where).toMatchObject({ kind: 'retry' })
}

/** The rate-limited operations by route group (`/v1/<group>/…`), read from the document. */
async function groupedOperations(): Promise<Map<string, Operation[]>> {
  const ops = (await operations()).filter(
    (op) => op.path !== paths.openapi && op.path !== paths.installations,
  )
  const groups = new Map<string, Operation[]>()
  for (const op of ops) {
    if (op.method === 'DELETE' && op.path === paths.me) continue
    const group = op.path.split('/')[2]!
    groups.set(group, [...(groups.get(group) ?? []), op])
  }
  return groups
}

const GROUPS = ['credits', 'exports', 'installations', 'sessions']

// Each test may first wait for a fresh limiter window (up to 20 s), then uses one up.
const LIMIT_TEST_TIMEOUT_MS = 60_000

describe('rate limits', () => {
  it('cover every route group of the document', async ({ expect }) => {
    expect([...(await groupedOperations()).keys()].sort()).toEqual(GROUPS)
  })

  it.for(GROUPS)(
    'limit every route of the %s group per installation, on its own count',
    { timeout: LIMIT_TEST_TIMEOUT_MS },
    async (group, { expect }) => {
      const groups = await groupedOperations()
      const groupOps = groups.get(group)
      expect(groupOps, group).toBeDefined()
      const { installationId, key } = await register()
      await windowWithRoom(20_000)
      // The real routes count against the group (a few calls), then the allowance runs out.
      for (const op of groupOps!)
        expect((await api(op.path, { method: op.method }, key)).status, op.path).not.toBe(429)
      await exhaust(`${installationId}:${group}`)
      for (const op of groupOps!)
        await expectRateLimited(
          expect,
          await api(op.path, { method: op.method }, key),
          `${op.method} ${op.path}`,
        )
      // The installation's other groups, and other installations, go on.
      for (const [other, otherOps] of groups) {
        if (other === group) continue
        const res = await api(otherOps[0]!.path, { method: otherOps[0]!.method }, key)
        expect(res.status, `${group} used up, ${other} still open`).not.toBe(429)
      }
      const stranger = await register()
      const first = groupOps![0]!
      expect((await api(first.path, { method: first.method }, stranger.key)).status).not.toBe(429)
    },
  )

  it(
    'limit the OpenAPI document and signed download links per client address',
    { timeout: LIMIT_TEST_TIMEOUT_MS },
    async ({ expect }) => {
      await windowWithRoom(20_000)
      const ip = uniqueIp()
      const headers = { 'CF-Connecting-IP': ip }
      const query = `inst=inst_AAAAAAAAAAAAAAAA&exp=9999999999&sig=${'0'.repeat(64)}`
      const link = `${paths.exportFile('job_AAAAAAAAAAAAAAAAAAAA')}?${query}`
      expect((await api(paths.openapi, { headers })).status).toBe(200)
      expect((await api(link, { headers })).status).toBe(404)
      await exhaust(`openapi:${ip}`)
      await expectRateLimited(expect, await api(paths.openapi, { headers }), 'openapi')
      expect((await api(link, { headers })).status).toBe(404)
      await exhaust(`link:${ip}`)
      await expectRateLimited(expect, await api(link, { headers }), 'signed link')
      // Another address still gets both.
      expect((await api(paths.openapi)).status).toBe(200)
      expect((await api(link)).status).toBe(404)
    },
  )
})
