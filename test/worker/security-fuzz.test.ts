import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect as expectOutside, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { chatSession, openEvents, readFrames, send } from './chat-helpers.ts'
import { api, register } from './helpers.ts'
import { captured } from './secret-scan.ts'

/**
 * Every route of the OpenAPI document (read at run time, so a new route is fuzzed without
 * touching this file), with a valid key, no key and garbage keys, gets hostile input: wrong JSON
 * types, prototype-pollution keys, huge and odd strings, path parameters with `../` and `%00`,
 * bodies that are not JSON, wrong content types, lying Content-Length headers and methods the
 * route does not have. The answer is always a clear 4xx in the shared envelope (or the route's
 * documented 2xx when the input happened to be valid); never a 5xx, never a thrown error.
 */

interface Operation {
  method: string
  template: string
  /** 2xx statuses the document gives for this operation. */
  success: number[]
  /** The JSON body's schema, when the operation takes one. */
  jsonSchema: JsonSchema | undefined
}

interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  enum?: unknown[]
  minLength?: number
  maxLength?: number
}

type DocOperation = {
  responses?: Record<string, unknown>
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
}

interface Fixture {
  key: string
  sessionId: string
  runId: string
}

let operations: Operation[] = []
let owner: Fixture
/** Where the captured output stood before the fuzz began. */
let capturedBefore = 0

beforeAll(async () => {
  const doc = (await (await api(paths.openapi)).json()) as {
    paths: Record<string, Record<string, DocOperation>>
  }
  operations = Object.entries(doc.paths).flatMap(([template, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      success: Object.keys(op.responses ?? {})
        .map(Number)
        .filter((s) => s >= 200 && s < 300),
      jsonSchema: op.requestBody?.content?.['application/json']?.schema,
    })),
  )
  const session = await chatSession()
  const runId = await send(session.key, session.sessionId, 'hello')
  await readFrames(await openEvents(session.key, session.sessionId, runId))
  owner = { key: session.key, sessionId: session.sessionId, runId }
  capturedBefore = captured.length
})

// A polluted prototype would show up here: the worker runs in this isolate.
afterAll(() => {
  // Nothing crashed out of sight either: no unexpected error in a route, a turn or an object.
  const crashes = captured
    .slice(capturedBefore)
    .filter(
      (c) =>
        c.where.startsWith('console.') &&
        /unexpected error|crashed|uncaught|internal/i.test(c.text),
    )
  expectOutside(crashes.map((c) => c.text.slice(0, 200))).toEqual([])
  expectOutside(Object.keys(Object.prototype)).toEqual([])
  expectOutside(({} as Record<string, unknown>)['polluted']).toBeUndefined()
})

const HUGE = 'x'.repeat(100_000)
const RUNS_PER_OPERATION = 25

const oddText = fc.oneof(
  fc.constantFrom(
    '',
    '../',
    '../../etc/passwd',
    '..%2F..%2Fadmin',
    '%00',
    'ses_%00AAAAAAAAAAAAAAAA',
    '__proto__',
    'constructor',
    'prototype',
    '%',
    '%ZZ',
    '\u0000',
    '😀🎬',
    '\u202e\u0645\u0631\u062d\u0628\u0627',
    'null',
    '-1',
    '1e309',
    'NaN',
    'ses_' + 'A'.repeat(5000),
    'job_' + 'B'.repeat(70),
    'run_' + 'C'.repeat(15),
    'nmv_usr_\u0000\u0001abcdefgh',
    'tok_ëëëëëëëëëëëë',
    '令牌令牌令牌令牌令牌令牌',
    'abc\r\nX-Injected: 1',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
)

/** A path parameter: hostile text (raw or encoded), or a real id of the owner, so deeper checks run. */
const pathParam = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: oddText.map((t) => (t.length % 2 === 0 ? encodeURIComponent(t) : t)) },
    { weight: 2, arbitrary: fc.constant(`${name}:real`) },
  )

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  fc.constantFrom(
    'text',
    'clientMessageId',
    'language',
    'urls',
    'preset',
    'idempotencyKey',
    'token',
  ),
  fc.string({ maxLength: 12 }),
)

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddText,
  fc.constant(HUGE),
  fc.array(
    fc.oneof(
      oddText,
      fc.webUrl(),
      fc.constantFrom('http://127.0.0.1/x.mp4', 'file:///etc/passwd', 'javascript:alert(1)'),
    ),
    { maxLength: 30 },
  ),
  fc.constantFrom({ polluted: true }, { prototype: { polluted: true } }),
)

/** A body: JSON of the wrong shape, near-valid shapes with hostile fields, or not JSON at all. */
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.dictionary(hostileKey, hostileValue, { maxKeys: 6 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        text: hostileValue,
        clientMessageId: oddText,
        language: oddText,
        urls: hostileValue,
        preset: fc.oneof(fc.constantFrom('16:9', '9:16', '1:1'), oddText),
        idempotencyKey: oddText,
        token: oddText,
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    'not json',
    '{',
    '['.repeat(50_000),
    '\u0000\u0001',
    `{"text":"${HUGE}","clientMessageId":"msg_12345678"}`,
    '--x\r\nContent-Disposition: form-data; name="files"; filename="../../a.mp4"\r\n\r\nAAAA\r\n--x--\r\n',
  ),
)

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'application/json\u0000',
)

const authMode = fc.constantFrom('valid', 'none', 'garbage', 'bearer-garbage', 'wrong-secret')

const otherMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')

const query = fc.oneof(
  fc.constant(''),
  fc
    .record(
      {
        after: oddText,
        lang: oddText,
        inst: oddText,
        exp: oddText,
        sig: oddText,
        __proto__: oddText,
      },
      { requiredKeys: [] },
    )
    .map((q) => `?${new URLSearchParams(q as Record<string, string>)}`),
)

const extraHeaders = fc.record(
  {
    'Last-Event-ID': fc.constantFrom('-1', '99999999999999999999999', 'abc', '1e3', '0'),
    'Content-Length': fc.constantFrom('0', '1', '99999999999', '-5', 'abc', '1e3'),
  },
  { requiredKeys: [] },
)

const request = fc.record({
  paramPicks: fc.record({
    sessionId: pathParam('sessionId'),
    runId: pathParam('runId'),
    jobId: pathParam('jobId'),
  }),
  method: fc.oneof(
    { weight: 4, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 1, arbitrary: otherMethod },
  ),
  auth: authMode,
  garbageKey: fc.string({ maxLength: 200 }),
  query,
  body,
  contentType,
  headers: extraHeaders,
})

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never

function fillPath(template: string, picks: Generated['paramPicks']): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = picks[name as keyof typeof picks] ?? 'x'
    if (value === 'sessionId:real') return owner.sessionId
    if (value === 'runId:real') return owner.runId
    if (value.endsWith(':real')) return 'job_AAAAAAAAAAAAAAAAAAAA'
    return value
  })
}

/** Builds the request; a request the runtime itself refuses to build never reaches the worker. */
function buildInit(op: Operation, g: Generated, key: string | undefined): RequestInit | undefined {
  const method = g.method ?? op.method
  const headers = new Headers()
  try {
    if (g.auth === 'valid' && key) headers.set('Authorization', `Bearer ${key}`)
    if (g.auth === 'garbage') headers.set('Authorization', g.garbageKey)
    if (g.auth === 'bearer-garbage') headers.set('Authorization', `Bearer ${g.garbageKey}`)
    if (g.auth === 'wrong-secret' && key)
      headers.set('Authorization', `Bearer ${key.slice(0, -4)}AAAA`)
    if (g.contentType) headers.set('Content-Type', g.contentType)
    for (const [name, value] of Object.entries(g.headers)) headers.set(name, value)
    const withBody = g.body !== undefined && method !== 'GET' && method !== 'HEAD'
    const init: RequestInit = { method, headers, ...(withBody && { body: g.body }) }
    new Request('https://pagereel.test/', init)
    return init
  } catch {
    return undefined
  }
}

describe('bodies the framework refuses before a route runs', () => {
  // Found by the fuzz below: these were unexpected errors (500 internal) before the error funnel
  // turned Hono's own refusals into invalid_request.
  it('are 400 invalid_request: an undeclared media type, malformed JSON', async ({ expect }) => {
    const cases: RequestInit[] = [
      { method: 'POST', headers: { 'Content-Type': 'multipart/form-data' }, body: '{}' },
      { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"language":"en"}' },
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"language":' },
    ]
    for (const init of cases) {
      for (const [path, key] of [
        [paths.installations, undefined],
        [paths.sessions, owner.key],
      ] as const) {
        const res = await api(path, init, key)
        expect(res.status, `${path} ${JSON.stringify(init.headers)}`).toBe(400)
        expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('invalid_request')
      }
    }
  })
})

describe('every route under hostile input', () => {
  it('answers clear 4xx errors in the shared envelope (or its documented 2xx), never a 5xx', async ({
    expect,
  }) => {
    expect(operations.length).toBeGreaterThanOrEqual(20)
    const seen = new Map<string, Set<number>>()
    let sent = 0
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(request, async (g) => {
          // DELETE /v1/installations/me (also as another method on that path) ends the key it is
          // called with: it gets a key of its own, or every later call would be a 401.
          const ends = (g.method ?? op.method) === 'DELETE' && op.template === paths.me
          const key = ends ? (await register()).key : owner.key
          const init = buildInit(op, g, key)
          if (!init) return
          sent += 1
          const path = `${fillPath(op.template, g.paramPicks)}${g.query}`
          let res: Response
          try {
            res = await api(path, init)
          } catch (err) {
            throw new Error(`${init.method} ${op.template}: the worker threw ${String(err)}`)
          }
          const where = `${init.method} ${op.template} -> ${res.status}`
          const statuses = seen.get(`${op.method} ${op.template}`) ?? new Set()
          statuses.add(res.status)
          seen.set(`${op.method} ${op.template}`, statuses)
          expect(res.status, where).toBeLessThan(500)
          if (res.status >= 200 && res.status < 300) {
            // Another method may be another documented operation of the same path; HEAD is GET.
            const asMethod = g.method === 'HEAD' ? 'GET' : (g.method ?? op.method)
            const answered = operations.find(
              (o) => o.template === op.template && o.method === asMethod,
            )
            expect(answered?.success ?? [], where).toContain(res.status)
            await res.body?.cancel()
            return
          }
          expect(res.status, where).toBeGreaterThanOrEqual(400)
          if (init.method === 'HEAD') return
          const parsed = ErrorEnvelope.safeParse(await res.json().catch(() => undefined))
          expect(parsed.success, where).toBe(true)
        }),
        { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      )
    }
    // Most generated requests could be built and reached the worker.
    expect(sent).toBeGreaterThan(operations.length * RUNS_PER_OPERATION * 0.7)
    // The runs reached past the guard: some operations answered something other than 401.
    const deeper = [...seen.values()].filter((s) =>
      [...s].some((status) => status !== 401 && status !== 404),
    )
    expect(deeper.length).toBeGreaterThan(operations.length / 2)
  }, 120_000)
})

/**
 * Values for one field of a documented JSON body: near the schema (right type, any characters,
 * lengths around the limits) or plainly wrong. Any unicode, control characters included, reaches
 * the worker's own code here, past the type checks.
 */
function fieldValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const anyText = fc.string({ unit: 'binary', maxLength: (schema.maxLength ?? 64) + 4 })
  const nearLimit = fc.string({
    unit: 'binary',
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 64, 600),
  })
  const wrong = fc.oneof(fc.jsonValue({ maxDepth: 2 }), oddText)
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), wrong)
  if (schema.type === 'array' && schema.items) {
    return fc.oneof(
      fc.array(
        fc.oneof(
          fieldValue(schema.items),
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
        ),
        { maxLength: 60 },
      ),
      wrong,
    )
  }
  if (schema.type === 'string')
    return fc.oneof(
      { weight: 3, arbitrary: fc.oneof(anyText, nearLimit) },
      { weight: 1, arbitrary: wrong },
    )
  return wrong
}

describe('every documented JSON body, field by field', () => {
  it('answers its documented 2xx or a clear 4xx for any characters in any field, never a 5xx', async ({
    expect,
  }) => {
    const withBodies = operations.filter((op) => op.jsonSchema?.properties)
    expect(withBodies.length).toBeGreaterThanOrEqual(5)
    for (const op of withBodies) {
      const fields = Object.fromEntries(
        Object.entries(op.jsonSchema!.properties!).map(([name, schema]) => [
          name,
          fieldValue(schema),
        ]),
      )
      const ownKey = op.template === paths.installations
      await fc.assert(
        fc.asyncProperty(fc.record(fields, { requiredKeys: [] }), async (value) => {
          const path = fillPath(op.template, {
            sessionId: 'sessionId:real',
            runId: 'runId:real',
            jobId: 'jobId:real',
          })
          const init = {
            method: op.method,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(value),
          }
          const res = await api(path, init, ownKey ? undefined : owner.key)
          const where = `${op.method} ${op.template} -> ${res.status}`
          expect(res.status, where).toBeLessThan(500)
          if (res.status >= 300) {
            expect(res.status, where).toBeGreaterThanOrEqual(400)
            expect(ErrorEnvelope.safeParse(await res.json()).success, where).toBe(true)
          } else {
            expect(op.success, where).toContain(res.status)
            await res.body?.cancel()
          }
        }),
        { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      )
    }
  }, 120_000)
})
