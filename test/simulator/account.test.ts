import { describe, expect, it } from 'vitest'
import { anonymousToken, call, newSession, testSimulator } from './test-helpers.ts'

const DAY = 24 * 3600 * 1000

describe('anonymous tokens', () => {
  it('issues a 7-day token with 100 credits and no render scope', async () => {
    const sim = testSimulator({ anonymousRenderBlocked: true })
    const res = await call(sim, '/api/auth/anonymous-token', {
      method: 'POST',
      headers: { 'x-client-id': 'c1' },
    })
    expect(res.status).toBe(200)
    const { code, data } = await res.json()
    expect(code).toBe(0)
    expect(data.user_id).toMatch(/^anon_/)
    expect(data.scopes).toEqual(['read', 'write', 'upload'])
    expect(Date.parse(data.expires_at) - sim.control.now()).toBeGreaterThan(7 * DAY - 5000)
    const credits = await (
      await call(sim, '/api/credits/balance/simple', { token: data.token })
    ).json()
    expect(credits).toMatchObject({ code: 0, data: { available: 100, frozen: 0, total: 100 } })
  })

  it('answers 400 without X-Client-Id, or with one over 64 characters', async () => {
    const sim = testSimulator()
    const res = await call(sim, '/api/auth/anonymous-token', { method: 'POST' })
    expect(res.status).toBe(400)
    expect((await res.json()).code).toBe(400)
    const long = await call(sim, '/api/auth/anonymous-token', {
      method: 'POST',
      headers: { 'x-client-id': 'x'.repeat(65) },
    })
    expect((await long.json()).code).toBe(400)
    await expect(anonymousToken(sim, 'y'.repeat(64))).resolves.toHaveProperty('token')
  })

  it('gives one token per client id per 7 days', async () => {
    const sim = testSimulator()
    await anonymousToken(sim, 'same')
    const again = await call(sim, '/api/auth/anonymous-token', {
      method: 'POST',
      headers: { 'x-client-id': 'same' },
    })
    expect(again.status).toBe(429)
    expect((await again.json()).code).toBe(429)
    sim.control.advanceClock(7 * DAY + 1)
    await expect(anonymousToken(sim, 'same')).resolves.toHaveProperty('token')
  })

  it('caps tokens per IP, from cf-connecting-ip or x-forwarded-for', async () => {
    const sim = testSimulator({ tokensPerIp: 2 })
    await anonymousToken(sim, 'a', { 'cf-connecting-ip': '203.0.113.7' })
    await anonymousToken(sim, 'b', { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' })
    const third = await call(sim, '/api/auth/anonymous-token', {
      method: 'POST',
      headers: { 'x-client-id': 'c', 'cf-connecting-ip': '203.0.113.7' },
    })
    expect(third.status).toBe(429)
    await expect(
      anonymousToken(sim, 'd', { 'cf-connecting-ip': '198.51.100.1' }),
    ).resolves.toHaveProperty('token')
  })
})

describe('bearer tokens', () => {
  it('answers 1001 for a missing, unknown or expired token', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    const other = await anonymousToken(sim)
    sim.control.expireToken(token)
    for (const t of [undefined, 'nmv_usr_nope', token]) {
      const res = await call(sim, '/api/credits/balance/simple', { token: t })
      expect(res.status).toBe(401)
      expect((await res.json()).code).toBe(1001)
    }
    expect((await call(sim, '/api/credits/balance/simple', { token: other.token })).status).toBe(
      200,
    )
    sim.control.advanceClock(7 * DAY)
    expect((await call(sim, '/api/credits/balance/simple', { token: other.token })).status).toBe(
      401,
    )
  })

  it('validates a registered user token through the credits endpoint', async () => {
    const sim = testSimulator()
    const { token, userId } = sim.control.createUserToken({ credits: 42 })
    expect(token).toMatch(/^nmv_usr_/)
    expect(userId).toMatch(/^usr_/)
    const res = await call(sim, '/api/credits/balance/simple', { token })
    expect((await res.json()).data).toEqual({ available: 42, frozen: 0, total: 42 })
    sim.control.setCredits('all', 7)
    expect(
      (await (await call(sim, '/api/credits/balance/simple', { token })).json()).data.available,
    ).toBe(7)
  })

  it("hands an anonymous user's sessions to the account registered with ?bind=", async () => {
    const sim = testSimulator()
    const anon = await anonymousToken(sim)
    const sid = await newSession(sim, anon.token)
    const state = (token: string) => call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token })
    const stranger = sim.control.createUserToken()
    expect((await (await state(stranger.token)).json()).code).toBe(1002)
    const bound = sim.control.createUserToken({ bind: anon.user_id })
    const res = await state(bound.token)
    expect((await res.json()).code).toBe(0)
  })

  it('logs whether the attribution headers were present', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    await call(sim, '/api/credits/balance/simple', { token })
    await call(sim, '/api/credits/balance/simple', { token, skill: false })
    const credits = sim.log.filter((e) => e.endpoint === 'credits')
    expect(credits.map((e) => e.attribution)).toEqual([true, false])
    expect(credits[0]?.headers.authorization).toBe(`Bearer ${token}`)
  })
})

describe('claim tokens', () => {
  it('returns a clm_ token for an own session and 1002 for another', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    const sid = await newSession(sim, token)
    const res = await call(sim, '/api/auth/claim-token', {
      token,
      json: { task_id: 't', session_id: sid },
    })
    expect((await res.json()).data.claim_token).toMatch(/^clm_[0-9a-f]{32}$/)
    const stranger = await anonymousToken(sim)
    const denied = await call(sim, '/api/auth/claim-token', {
      token: stranger.token,
      json: { session_id: sid },
    })
    expect(denied.status).toBe(404)
    expect((await denied.json()).code).toBe(1002)
  })
})

describe('token renewal', () => {
  it('lets an expired anonymous token be renewed: same user, same sessions, same credits', async () => {
    const sim = testSimulator()
    const first = await anonymousToken(sim, 'renewing-client')
    const sid = await newSession(sim, first.token)
    sim.control.setCredits(first.token, 30)
    sim.control.expireToken(first.token)
    const denied = await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token: first.token })
    expect((await denied.json()).code).toBe(1001)
    const second = await anonymousToken(sim, 'renewing-client')
    expect(second.token).not.toBe(first.token)
    expect(second.user_id).toBe(first.user_id)
    expect(
      (await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token: second.token })).status,
    ).toBe(200)
    const credits = await (
      await call(sim, '/api/credits/balance/simple', { token: second.token })
    ).json()
    expect(credits.data.available).toBe(30)
  })

  it('does not free the client id on a 1001 fault', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim, 'faulted')
    sim.control.fault({ kind: 'code', code: 1001 })
    expect((await call(sim, '/api/credits/balance/simple', { token })).status).toBe(401)
    const again = await call(sim, '/api/auth/anonymous-token', {
      method: 'POST',
      headers: { 'x-client-id': 'faulted' },
    })
    expect(again.status).toBe(429)
    expect((await call(sim, '/api/credits/balance/simple', { token })).status).toBe(200)
  })
})
