import { describe, it } from 'vitest'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { InstallationInfo } from '../../shared/api/installations.ts'
import { api, json, logOf, openSession, recordOf, register, sim } from './helpers.ts'

describe('POST /v1/installations', () => {
  it('registers with an anonymous token and returns a key once', async ({ expect }) => {
    const before = sim.log.length
    const created = await register('zh-CN')
    expect(created.installationId).toMatch(/^inst_[A-Za-z0-9]{16,64}$/)
    expect(created.key.startsWith(`${created.installationId}.`)).toBe(true)
    expect(created.tokenKind).toBe('anonymous')
    expect(created.tokenError).toBeUndefined()

    const calls = logOf('anonymous-token', before)
    expect(calls).toHaveLength(1)
    const record = await recordOf(created.installationId)
    expect(calls[0]?.headers['x-client-id']).toBe(record.clientId)
    expect(record.token).toBeTruthy()
    expect(record.language).toBe('zh-CN')
    // Only the hash of the secret is kept.
    const secret = created.key.slice(created.key.indexOf('.') + 1)
    expect(JSON.stringify(record)).not.toContain(secret)
  })

  it('refuses an invalid language with field issues', async ({ expect }) => {
    const res = await api('/v1/installations', json('POST', { language: 'not a language!' }))
    expect(res.status).toBe(400)
    const { error } = ErrorEnvelope.parse(await res.json())
    expect(error.code).toBe('invalid_request')
    expect(error.issues?.[0]?.path).toBe('json.language')
  })

  it('registers without a body (English)', async ({ expect }) => {
    const res = await api('/v1/installations', { method: 'POST' })
    expect(res.status).toBe(201)
  })
})

describe('installation key', () => {
  it('is required on every /v1 route', async ({ expect }) => {
    for (const path of [
      '/v1/installations/me',
      '/v1/credits',
      '/v1/sessions/ses_abcdefghijklmnop/state',
    ]) {
      const res = await api(path)
      expect(res.status, path).toBe(401)
      const { error } = ErrorEnvelope.parse(await res.json())
      expect(error.code).toBe('unauthorized')
      expect(error.action).toEqual({ kind: 'reinstall' })
    }
  })

  it('refuses a wrong secret, a malformed key and an unknown installation alike', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    const wrongSecret = `${installationId}.${'x'.repeat(43)}`
    const unknown = `inst_${'A'.repeat(24)}.${key.split('.')[1]}`
    for (const bad of [wrongSecret, unknown, 'garbage', `${key}extra space`]) {
      const res = await api('/v1/installations/me', {}, bad)
      expect(res.status, bad).toBe(401)
    }
    const basic = await api('/v1/installations/me', { headers: { Authorization: `Basic ${key}` } })
    expect(basic.status).toBe(401)
  })

  it('opens the installation with the right key', async ({ expect }) => {
    const { installationId, key } = await register()
    const res = await api('/v1/installations/me', {}, key)
    expect(res.status).toBe(200)
    const info = InstallationInfo.parse(await res.json())
    expect(info.installationId).toBe(installationId)
    expect(info.tokenKind).toBe('anonymous')
    expect(info.needsApiToken).toBe(false)
  })

  it('stops working after DELETE /v1/installations/me', async ({ expect }) => {
    const { key } = await register()
    const del = await api('/v1/installations/me', { method: 'DELETE' }, key)
    expect(del.status).toBe(204)
    const res = await api('/v1/installations/me', {}, key)
    expect(res.status).toBe(401)
  })
})

describe('CORS', () => {
  it('refuses a web origin before anything else', async ({ expect }) => {
    const before = sim.log.length
    const res = await api('/v1/installations', json('POST', {}, { Origin: 'https://evil.example' }))
    expect(res.status).toBe(403)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('origin_forbidden')
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(sim.log.length).toBe(before)
  })

  it('refuses a web origin preflight', async ({ expect }) => {
    const res = await api('/v1/credits', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET' },
    })
    expect(res.status).toBe(403)
  })

  it('allows extension origins, with preflight', async ({ expect }) => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'
    const pre = await api('/v1/credits', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('Access-Control-Allow-Origin')).toBe(origin)
    expect(pre.headers.get('Access-Control-Allow-Headers')).toContain('Authorization')

    const { key } = await register()
    const res = await api(
      '/v1/installations/me',
      { headers: { Origin: 'moz-extension://0b1c2d3e-aaaa-bbbb-cccc-123456789abc' } },
      key,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(
      'moz-extension://0b1c2d3e-aaaa-bbbb-cccc-123456789abc',
    )
  })

  it('keeps CORS headers on error answers for the extension', async ({ expect }) => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'
    const res = await api('/v1/credits', { headers: { Origin: origin } })
    expect(res.status).toBe(401)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin)
  })
})

describe('unknown routes', () => {
  it('answer not_found in the envelope', async ({ expect }) => {
    const { key } = await register()
    const res = await api('/v1/nothing-here', {}, key)
    expect(res.status).toBe(404)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('not_found')
  })
})

describe('CORS on streamed answers', () => {
  it('reaches a chat stream the route built itself, which stays an unbuffered event stream', async ({
    expect,
  }) => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'
    const { key } = await register()
    const sessionId = await openSession(key)
    const sent = await api(
      `/v1/sessions/${sessionId}/messages`,
      json('POST', {
        text: 'add a title',
        clientMessageId: `msg_${crypto.randomUUID().slice(0, 8)}`,
      }),
      key,
    )
    expect(sent.status).toBe(202)
    const { runId } = (await sent.json()) as { runId: string }
    const res = await api(
      `/v1/sessions/${sessionId}/runs/${runId}/events`,
      { headers: { Origin: origin } },
      key,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin)
    expect(res.headers.get('Content-Type')).toContain('text/event-stream')
    expect(res.headers.get('Content-Encoding') ?? 'identity').toBe('identity')
    const reader = res.body?.getReader()
    const first = await reader?.read()
    expect(first?.done).toBe(false)
    await reader?.cancel()
  })
})
