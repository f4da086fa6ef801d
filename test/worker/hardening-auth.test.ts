import { env } from 'cloudflare:workers'
import { listDurableObjectIds } from 'cloudflare:test'
import { describe, it } from 'vitest'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { kvKey } from '../../worker/installations/record.ts'
import { api, json, recordOf, register, sim, uniqueIp } from './helpers.ts'

const randomKey = () => {
  const id = `inst_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`
  return `${id}.${crypto.randomUUID().replaceAll('-', '')}${crypto.randomUUID().replaceAll('-', '')}`
}

describe('failed keys (issue 11, item 2)', () => {
  it('are limited per address: random well-formed keys end in 429, not 401 after 401', async ({
    expect,
  }) => {
    const ip = uniqueIp()
    const statuses: number[] = []
    for (let i = 0; i < 30; i += 1) {
      const res = await api('/v1/credits', { headers: { 'CF-Connecting-IP': ip } }, randomKey())
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.at(-1)).toBe(429)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20)
    // Another address is not affected.
    expect((await api('/v1/credits', {}, randomKey())).status).toBe(401)
  })

  it('leave no storage behind for an id that was never registered', async ({ expect }) => {
    const keys = Array.from({ length: 5 }, randomKey)
    for (const key of keys) expect((await api('/v1/installations/me', {}, key)).status).toBe(401)
    const stored = new Set(
      (await listDurableObjectIds(env.INSTALLATION_KEEPER)).map((id) => id.toString()),
    )
    for (const key of keys) {
      const id = env.INSTALLATION_KEEPER.idFromName(key.slice(0, key.indexOf('.')))
      expect(stored.has(id.toString())).toBe(false)
    }
    // A registered one does have its storage.
    const { installationId } = await register()
    const after = (await listDurableObjectIds(env.INSTALLATION_KEEPER)).map((id) => id.toString())
    expect(after).toContain(env.INSTALLATION_KEEPER.idFromName(installationId).toString())
  })
})

describe('revocation and reset (issue 11, item 6)', () => {
  it('stop a reset key at once, even while KV still holds the record', async ({ expect }) => {
    const { installationId, key } = await register()
    const cached = await env.INSTALLATIONS.get(kvKey(installationId))
    expect((await api('/v1/installations/me', { method: 'DELETE' }, key)).status).toBe(204)
    // A KV copy that lags (or a late mirror write landing after the reset).
    await env.INSTALLATIONS.put(kvKey(installationId), cached as string)
    expect((await api('/v1/installations/me', {}, key)).status).toBe(401)
    expect((await api('/v1/credits', {}, key)).status).toBe(401)
  })

  it('stop using the user’s own token at once after DELETE …/me/token, whatever KV holds', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    const { token: userToken } = sim.control.createUserToken()
    expect(
      (await api('/v1/installations/me/token', json('PUT', { token: userToken }), key)).status,
    ).toBe(200)
    const withUser = await env.INSTALLATIONS.get(kvKey(installationId))
    expect((await api('/v1/installations/me/token', { method: 'DELETE' }, key)).status).toBe(200)
    await env.INSTALLATIONS.put(kvKey(installationId), withUser as string)
    const before = sim.log.length
    expect((await api('/v1/credits', {}, key)).status).toBe(200)
    const used = sim.log
      .slice(before)
      .filter((e) => e.endpoint === 'credits')
      .map((e) => e.headers['authorization'])
    expect(used).not.toContain(`Bearer ${userToken}`)
    expect((await recordOf(installationId)).tokenKind).toBe('user') // the stale KV copy, ignored
  })
})

describe('registration', () => {
  it('is refused once an address has spent its daily budget (REGISTRATIONS_PER_ADDRESS_PER_DAY)', async ({
    expect,
  }) => {
    const ip = uniqueIp()
    const statuses: number[] = []
    for (let i = 0; i < 7; i += 1)
      statuses.push(
        (await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': ip }))).status,
      )
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429])
    const refused = await api('/v1/installations', json('POST', {}, { 'CF-Connecting-IP': ip }))
    const { error } = ErrorEnvelope.parse(await refused.json())
    expect(error.code).toBe('rate_limited')
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(3600)
    expect((await api('/v1/installations', json('POST', {}))).status).toBe(201)
  })
})
