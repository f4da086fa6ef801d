import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, it } from 'vitest'
import { Credits } from '../../shared/api/credits.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import type { InstallationKeeper } from '../../worker/installations/keeper.ts'
import { kvKey } from '../../worker/installations/record.ts'
import { createTokenSource } from '../../worker/installations/token-source.ts'
import { runTurn } from './chat-helpers.ts'
import { api, logOf, openSession, recordOf, register, sim } from './helpers.ts'

function keeper(installationId: string): DurableObjectStub<InstallationKeeper> {
  return env.INSTALLATION_KEEPER.get(env.INSTALLATION_KEEPER.idFromName(installationId))
}

/** Moves the token's expiry into the past, in the keeper and in KV, as if 7 days had gone by. */
async function ageToken(installationId: string, leftMs = -60_000): Promise<void> {
  const past = new Date(Date.now() + leftMs).toISOString()
  await runInDurableObject(keeper(installationId), (_instance, state) => {
    const row = state.storage.sql
      .exec<{ state: string }>('SELECT state FROM installation WHERE id = 1')
      .one()
    const value = { ...JSON.parse(row.state), tokenExpiresAt: past }
    state.storage.sql.exec('UPDATE installation SET state = ? WHERE id = 1', JSON.stringify(value))
  })
  const record = await recordOf(installationId)
  await env.INSTALLATIONS.put(
    kvKey(installationId),
    JSON.stringify({ ...record, tokenExpiresAt: past }),
  )
}

describe('token renewal through the keeper', () => {
  it('renews an expired token once for 20 concurrent requests, keeping the client id', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    const first = await recordOf(installationId)
    await ageToken(installationId)
    sim.control.advanceClock(7 * 24 * 3600 * 1000)
    const before = sim.log.length

    const answers = await Promise.all(Array.from({ length: 20 }, () => api('/v1/credits', {}, key)))
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200))

    // The 7 days are over, so the backend gives the same client id (and anonymous user) a new token.
    const tokenCalls = logOf('anonymous-token', before)
    expect(tokenCalls).toHaveLength(1)
    expect(tokenCalls[0]?.headers['x-client-id']).toBe(first.clientId)
    const renewed = await recordOf(installationId)
    expect(renewed.token).not.toBe(first.token)
    expect(renewed.clientId).toBe(tokenCalls[0]?.headers['x-client-id'])
    // Every credits call after the renewal used the new token.
    const credits = logOf('credits', before)
    expect(credits).toHaveLength(20)
    for (const call of credits)
      expect(call.headers['authorization']).toBe(`Bearer ${renewed.token}`)
  })

  it('uses a token to the end of its 7 days instead of renewing it early', async ({ expect }) => {
    const { installationId, key } = await register()
    const first = await recordOf(installationId)
    await ageToken(installationId, 3600_000)
    const before = sim.log.length

    expect((await api('/v1/credits', {}, key)).status).toBe(200)
    // An early renewal would need a new client id, that is a new backend user without the projects.
    expect(logOf('anonymous-token', before)).toHaveLength(0)
    expect((await recordOf(installationId)).token).toBe(first.token)
  })

  it('keeps the client id when the backend drops a token still in date', async ({ expect }) => {
    const { installationId, key } = await register()
    const first = await recordOf(installationId)
    sim.control.expireToken(first.token as string)
    const before = sim.log.length

    expect((await api('/v1/credits', {}, key)).status).toBe(200)
    const tokenCalls = logOf('anonymous-token', before)
    expect(tokenCalls.map((c) => c.headers['x-client-id'])).toEqual([first.clientId])
  })

  it('keeps the client id when the backend refuses it, and says so after one wait', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    const first = await recordOf(installationId)
    // A 1001 that does not free the client id: the backend still counts its token this week.
    sim.control.fault({ kind: 'code', endpoint: 'credits', code: 1001, times: 1 })
    const before = sim.log.length

    const res = await api('/v1/credits', {}, key)
    expect(res.status).toBe(429)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('registration_capped')
    // Asked twice (the 429 waited out once), both times for the same client id: never a new one.
    const clients = logOf('anonymous-token', before).map((c) => c.headers['x-client-id'])
    expect(clients).toEqual([first.clientId, first.clientId])
    expect((await recordOf(installationId)).clientId).toBe(first.clientId)
  })

  it('re-auths once on 1001 for 20 concurrent requests', async ({ expect }) => {
    const { installationId, key } = await register()
    const first = await recordOf(installationId)
    expect(first.token).toBeTruthy()
    sim.control.expireToken(first.token as string)
    const before = sim.log.length

    const answers = await Promise.all(Array.from({ length: 20 }, () => api('/v1/credits', {}, key)))
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(logOf('anonymous-token', before)).toHaveLength(1)
    const renewed = await recordOf(installationId)
    expect(renewed.token).not.toBe(first.token)
    // Every call answered with the new token; the ones that started with the old one were refused
    // once each (a call that reads the keeper after the renewal starts with the new one).
    const credits = logOf('credits', before)
    const old = credits.filter((e) => e.headers['authorization'] === `Bearer ${first.token}`).length
    expect(old).toBeGreaterThanOrEqual(1)
    expect(
      credits.filter((e) => e.headers['authorization'] === `Bearer ${renewed.token}`),
    ).toHaveLength(20)
    expect(credits).toHaveLength(20 + old)
  })

  it('gives up after one re-auth when the new token is refused too', async ({ expect }) => {
    const { installationId, key } = await register()
    sim.control.fault({ kind: 'code', endpoint: 'credits', code: 1001, times: 2 })
    const before = sim.log.length
    sim.control.expireToken((await recordOf(installationId)).token as string)
    const res = await api('/v1/credits', {}, key)
    expect(res.status).toBe(502)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('token_expired')
    expect(logOf('credits', before)).toHaveLength(2)
    // One re-auth, for the same client id (the backend let its token go).
    expect(logOf('anonymous-token', before)).toHaveLength(1)
  })

  it('hands a caller holding a replaced token the new one without a backend call', async ({
    expect,
  }) => {
    const { installationId } = await register()
    const first = await recordOf(installationId)
    sim.control.expireToken(first.token as string)
    const stub = keeper(installationId)
    const renewed = await stub.renew(first.token ?? null)
    expect(renewed.ok).toBe(true)
    const before = sim.log.length
    const again = await stub.renew(first.token ?? null)
    expect(again).toEqual(renewed)
    expect(logOf('anonymous-token', before)).toHaveLength(0)
  })
})

describe('a chat turn’s token', () => {
  it('comes from the record the key check read, without asking the keeper again', async ({
    expect,
  }) => {
    const record = await recordOf((await register()).installationId)
    // An id no keeper holds: a source that asked its keeper would be refused.
    const unknown = `inst_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
    const handed = createTokenSource(env, unknown, { ...record, installationId: unknown })
    expect(await handed.current()).toBe(record.token)
    await expect(createTokenSource(env, unknown).current()).rejects.toThrow()
  })

  it('is renewed before the prompt when the record the key check read has run out', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    const sessionId = await openSession(key)
    const first = await recordOf(installationId)
    await ageToken(installationId)
    sim.control.advanceClock(7 * 24 * 3600 * 1000)
    const before = sim.log.length

    const { events } = await runTurn(key, sessionId, 'make a video about the sea')
    expect(events.at(-1)?.type).toBe('done')
    expect(logOf('anonymous-token', before)).toHaveLength(1)
    const renewed = await recordOf(installationId)
    expect(renewed.token).not.toBe(first.token)
    const prompts = logOf('run_sse', before)
    expect(prompts.map((e) => e.headers['authorization'])).toEqual([`Bearer ${renewed.token}`])
  })

  it('is renewed once when the backend refuses the one the key check read', async ({ expect }) => {
    const { installationId, key } = await register()
    const sessionId = await openSession(key)
    const first = await recordOf(installationId)
    sim.control.expireToken(first.token as string)
    const before = sim.log.length

    const { events } = await runTurn(key, sessionId, 'make a video about the sea')
    expect(events.at(-1)?.type).toBe('done')
    expect(logOf('anonymous-token', before)).toHaveLength(1)
    const renewed = await recordOf(installationId)
    const prompts = logOf('run_sse', before).map((e) => e.headers['authorization'])
    expect(prompts.at(-1)).toBe(`Bearer ${renewed.token}`)
    expect(prompts.filter((p) => p === `Bearer ${renewed.token}`)).toHaveLength(1)
  })
})

describe('upstream retries', () => {
  it('retries a 429 once after the configured wait', async ({ expect }) => {
    const { key } = await register()
    sim.control.fault({ kind: 'code', endpoint: 'credits', code: 429, times: 1 })
    const before = sim.log.length
    const res = await api('/v1/credits', {}, key)
    expect(res.status).toBe(200)
    expect(logOf('credits', before)).toHaveLength(2)
  })

  it('answers upstream_rate_limited with Retry-After when the retry is refused too', async ({
    expect,
  }) => {
    const { key } = await register()
    sim.control.fault({ kind: 'code', endpoint: 'credits', code: 429, times: 2 })
    const res = await api('/v1/credits', {}, key)
    expect(res.status).toBe(429)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('upstream_rate_limited')
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
  })

  it('maps a malformed answer and a 5xx to upstream_unavailable', async ({ expect }) => {
    const { key } = await register()
    sim.control.fault({ kind: 'malformed-json', endpoint: 'credits' })
    const bad = await api('/v1/credits', {}, key)
    expect(bad.status).toBe(502)
    expect(ErrorEnvelope.parse(await bad.json()).error.code).toBe('upstream_unavailable')
    sim.control.fault({ kind: 'http', endpoint: 'credits', status: 503 })
    const down = await api('/v1/credits', {}, key)
    expect(down.status).toBe(502)
  })
})

describe('GET /v1/credits', () => {
  it('answers the balance and the token kind', async ({ expect }) => {
    const { key } = await register()
    const res = await api('/v1/credits', {}, key)
    expect(res.status).toBe(200)
    const credits = Credits.parse(await res.json())
    expect(credits).toMatchObject({
      available: sim.control.config.anonymousCredits,
      tokenKind: 'anonymous',
    })
  })
})
