import { describe, it } from 'vitest'
import { InstallationCreated } from '../../shared/api/installations.ts'
import { api, json, logOf, sim, uniqueIp } from './helpers.ts'

async function registerFrom(ip: string): Promise<InstallationCreated> {
  const res = await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': ip }))
  expect201(res.status)
  return InstallationCreated.parse(await res.json())
}

function expect201(status: number) {
  if (status !== 201) throw new Error(`registration answered ${status}`)
}

describe('a 429 at the anonymous-token call (issue 8, item 4)', () => {
  it('is retried once with the same client id and ends in a working installation', async ({
    expect,
  }) => {
    sim.control.fault({
      kind: 'code',
      endpoint: 'anonymous-token',
      code: 429,
      times: 1,
      retryAfterSec: 0,
    })
    const before = sim.log.length
    const created = await registerFrom(uniqueIp())
    expect(created.tokenError).toBeUndefined()
    const clients = logOf('anonymous-token', before).map((e) => e.headers['x-client-id'])
    expect(clients).toHaveLength(2)
    expect(clients[1]).toBe(clients[0])
    expect((await api('/v1/credits', {}, created.key)).status).toBe(200)
  })

  it('becomes registration_capped only when it persists, still with one client id', async ({
    expect,
  }) => {
    sim.control.fault({ kind: 'code', endpoint: 'anonymous-token', code: 429, times: 2 })
    const before = sim.log.length
    const created = await registerFrom(uniqueIp())
    expect(created.tokenError?.code).toBe('registration_capped')
    const clients = new Set(logOf('anonymous-token', before).map((e) => e.headers['x-client-id']))
    expect(logOf('anonymous-token', before)).toHaveLength(2)
    expect(clients.size).toBe(1)
  })

  it('honours Retry-After: waits at least that long, and does not wait out one longer than a request may', async ({
    expect,
  }) => {
    sim.control.fault({
      kind: 'code',
      endpoint: 'anonymous-token',
      code: 429,
      times: 1,
      retryAfterSec: 1,
    })
    let before = sim.log.length
    const started = Date.now()
    expect((await registerFrom(uniqueIp())).tokenError).toBeUndefined()
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(logOf('anonymous-token', before)).toHaveLength(2)

    sim.control.fault({
      kind: 'code',
      endpoint: 'anonymous-token',
      code: 429,
      times: 1,
      retryAfterSec: 3600,
    })
    before = sim.log.length
    expect((await registerFrom(uniqueIp())).tokenError?.code).toBe('registration_capped')
    expect(logOf('anonymous-token', before)).toHaveLength(1)
  })
})

describe('the client address upstream (issue 11, item 3)', () => {
  it('goes with the anonymous-token call, so the per-IP cap counts the client, not the worker', async ({
    expect,
  }) => {
    sim.control.configure({ tokensPerIp: 1 })
    try {
      const a = uniqueIp()
      const before = sim.log.length
      expect((await registerFrom(a)).tokenError).toBeUndefined()
      const [call] = logOf('anonymous-token', before)
      expect(call?.headers['x-forwarded-for']).toBe(a)
      expect(call?.headers['x-real-ip']).toBe(a)
      // The same address has spent its backend quota; another address has not.
      expect((await registerFrom(a)).tokenError?.code).toBe('registration_capped')
      expect((await registerFrom(uniqueIp())).tokenError).toBeUndefined()
    } finally {
      sim.control.configure({ tokensPerIp: 100_000 })
    }
  })
})
