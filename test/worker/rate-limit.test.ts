import { describe, it } from 'vitest'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { api, json, uniqueIp } from './helpers.ts'

describe('rate limits', () => {
  it('limit registrations per client address', async ({ expect }) => {
    const ip = uniqueIp()
    // wrangler.toml: 20 registrations per minute per address (the burst), and 5 per day (the
    // budget, REGISTRATIONS_PER_ADDRESS_PER_DAY), which comes first.
    const statuses: number[] = []
    for (let i = 0; i < 6; i += 1) {
      const res = await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': ip }))
      statuses.push(res.status)
      if (res.status === 429) {
        const { error } = ErrorEnvelope.parse(await res.json())
        expect(error.code).toBe('rate_limited')
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
      }
    }
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(201))
    expect(statuses[5]).toBe(429)
    // Another address is not affected.
    expect(
      (await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': uniqueIp() }))).status,
    ).toBe(201)
  })
  // Per installation and route group: security-cors-limits.test.ts, which exhausts the limiter
  // through its binding (600 calls one by one can straddle the limiter's minute and never see a 429).
})
