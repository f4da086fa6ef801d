import { describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { JSON_BODY_MAX_BYTES } from '../../worker/http/body-limit.ts'
import { api, json, logOf, openSession, register } from './helpers.ts'

/**
 * Issue 11, item 1: no body can cost the worker more than the JSON limit before a key or a schema
 * looks at it. The bounded-memory proof: a body that never ends is answered 413 after the worker
 * pulled at most the limit of it (and a chunk), so the parser never sees it.
 */

/** A request body that never ends, counting the bytes the worker pulls. */
function endlessBody(chunk = 16 * 1024) {
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk
      controller.enqueue(new TextEncoder().encode('['.repeat(chunk)))
    },
  })
  return { stream, pulled: () => pulled }
}

async function expectTooLarge(res: Response, expect: (v: unknown) => { toBe(v: unknown): void }) {
  expect(res.status).toBe(413)
  expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('body_too_large')
}

describe('request bodies (issue 11, item 1)', () => {
  it('refuses a deeply nested JSON registration over the limit by its Content-Length, creating nothing', async ({
    expect,
  }) => {
    const before = logOf('anonymous-token').length
    const nested = `${'['.repeat(500_000)}${']'.repeat(500_000)}`
    const res = await api('/v1/installations', {
      method: 'POST',
      body: nested,
      headers: { 'Content-Type': 'application/json' },
    })
    await expectTooLarge(res, expect)
    expect(logOf('anonymous-token').length).toBe(before)
  })

  it('stops reading a body without a length at the limit: the parser never sees it', async ({
    expect,
  }) => {
    const body = endlessBody()
    const res = await api('/v1/installations', {
      method: 'POST',
      body: body.stream,
      headers: { 'Content-Type': 'application/json' },
      // @ts-expect-error: workerd's RequestInit takes duplex for a streamed body
      duplex: 'half',
    })
    await expectTooLarge(res, expect)
    // Pulled at most the limit and the queue's next chunks: bounded, whatever the sender has.
    expect(body.pulled()).toBeLessThanOrEqual(JSON_BODY_MAX_BYTES + 4 * 16 * 1024)
  })

  it('holds every JSON route to the limit, before and after the key check', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const big = { text: 'x'.repeat(JSON_BODY_MAX_BYTES), clientMessageId: 'msg_12345678' }
    for (const path of [paths.messages(sessionId), paths.uploadUrls(sessionId), paths.sessions]) {
      await expectTooLarge(await api(path, json('POST', big), key), expect)
    }
    // A body just under the limit still reaches its route (and its schema).
    const small = await api(
      paths.sessions,
      json('POST', { language: 'en', pad: 'x'.repeat(1000) }),
      key,
    )
    expect(small.status).not.toBe(413)
  })

  it('leaves the streamed uploads to their own limits', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const res = await api(
      paths.uploads(sessionId),
      {
        method: 'POST',
        body: new Uint8Array(JSON_BODY_MAX_BYTES + 10),
        headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
      },
      key,
    )
    expect(res.status).not.toBe(413)
    expect(ErrorEnvelope.parse(await res.json()).error.code).not.toBe('body_too_large')
  })
})
