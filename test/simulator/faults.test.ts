import { describe, expect, it } from 'vitest'
import { anonymousToken, call, newSession, testSimulator } from './test-helpers.ts'

describe('generic faults', () => {
  it('answers an HTTP status with a gateway page, for the named endpoint only, `times` times', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    sim.control.fault({ kind: 'http', endpoint: 'credits', status: 503, times: 2 })
    const sid = await newSession(sim, token)
    expect(sid).toMatch(/^\d{19}$/)
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push((await call(sim, '/api/credits/balance/simple', { token })).status)
    expect(statuses).toEqual([503, 503, 200])
    expect(sim.control.faults()).toEqual([])
  })

  it.each([
    [1001, 401],
    [1002, 404],
    [2001, 402],
    [400, 400],
    [402, 402],
    [429, 429],
    [4001, 400],
    [4002, 413],
  ] as const)('answers code %i with HTTP %i', async (code, status) => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    sim.control.fault({ kind: 'code', code })
    const res = await call(sim, '/api/credits/balance/simple', { token })
    expect(res.status).toBe(status)
    expect((await res.json()).code).toBe(code)
  })

  it('sends a 200 with a body that is not JSON', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    sim.control.fault({ kind: 'malformed-json', endpoint: 'state' })
    const sid = await newSession(sim, token)
    const res = await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token })
    expect(res.status).toBe(200)
    await expect(res.json()).rejects.toThrow()
  })

  it('holds a slow answer', async () => {
    const sim = testSimulator()
    sim.control.fault({ kind: 'slow', endpoint: 'anonymous-token', delayMs: 300 })
    const pending = anonymousToken(sim)
    const first = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('waiting'), 100)),
    ])
    expect(first).toBe('waiting')
    await expect(pending).resolves.toHaveProperty('token')
  })

  it('applies a fault without endpoint to any backend endpoint, and validates faults', () => {
    const sim = testSimulator()
    expect(() => sim.control.fault({ kind: 'code', code: 1234 } as never)).toThrow()
    expect(sim.control.fault({ kind: 'drop-stream', afterEvents: 1 })).toMatchObject({
      times: 1,
      abort: false,
    })
  })

  it('reset forgets tokens, faults and the log', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    sim.control.fault({ kind: 'http', status: 500 })
    sim.reset()
    expect(sim.log).toEqual([])
    expect(sim.control.faults()).toEqual([])
    expect((await call(sim, '/api/credits/balance/simple', { token })).status).toBe(401)
  })
})
