import { describe, it } from 'vitest'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { api, json, register, uniqueIp } from './helpers.ts'

describe('rate limits', () => {
  it('limit registrations per client address', async ({ expect }) => {
    const ip = uniqueIp()
    // wrangler.toml: 20 registrations per minute per address.
    const statuses: number[] = []
    for (let i = 0; i < 21; i += 1) {
      const res = await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': ip }))
      statuses.push(res.status)
      if (res.status === 429) {
        const { error } = ErrorEnvelope.parse(await res.json())
        expect(error.code).toBe('rate_limited')
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
      }
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(201))
    expect(statuses[20]).toBe(429)
    // Another address is not affected.
    expect((await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': uniqueIp() }))).status).toBe(201)
  })

  it('limit calls per installation and route group', async ({ expect }) => {
    const { key } = await register()
    // wrangler.toml: 600 per minute; invalid bodies are cheap calls that still count.
    let limited: Response | undefined
    for (let i = 0; i < 601 && !limited; i += 1) {
      const res = await api('/v1/installations/me/token', json('PUT', { token: 'x' }), key)
      if (res.status === 429) limited = res
      else expect(res.status).toBe(400)
    }
    expect(limited?.status).toBe(429)
    expect(ErrorEnvelope.parse(await limited?.json()).error.code).toBe('rate_limited')
    // Another installation is not affected.
    const other = await register()
    expect((await api('/v1/installations/me', {}, other.key)).status).toBe(200)
  })
})
