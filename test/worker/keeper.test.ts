import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { InstallationInfo } from '../../shared/api/installations.ts'
import { kvKey } from '../../worker/installations/record.ts'
import { api, register, uniqueIp } from './helpers.ts'

const keeper = (name: string) =>
  env.INSTALLATION_KEEPER.get(env.INSTALLATION_KEEPER.idFromName(name))

describe('InstallationKeeper job list', () => {
  it('registers jobs idempotently and lists them newest first', async ({ expect }) => {
    const stub = keeper(`jobs-${crypto.randomUUID()}`)
    expect(await stub.listJobIds()).toEqual([])
    await stub.registerJob({
      jobId: 'job_a',
      sessionId: 'ses_1',
      createdAt: '2026-11-24T10:00:00.000Z',
    })
    await stub.registerJob({
      jobId: 'job_c',
      sessionId: 'ses_1',
      createdAt: '2026-11-24T12:00:00.000Z',
    })
    await stub.registerJob({
      jobId: 'job_b',
      sessionId: 'ses_2',
      createdAt: '2026-11-24T11:00:00.000Z',
    })
    await stub.registerJob({
      jobId: 'job_a',
      sessionId: 'ses_1',
      createdAt: '2026-11-24T13:00:00.000Z',
    })
    expect(await stub.listJobIds()).toEqual(['job_c', 'job_b', 'job_a'])
  })

  it('forgets the jobs with the installation on reset', async ({ expect }) => {
    const { installationId, key } = await register()
    await keeper(installationId).registerJob({
      jobId: 'job_x',
      sessionId: 'ses_1',
      createdAt: new Date().toISOString(),
    })
    await api('/v1/installations/me', { method: 'DELETE' }, key)
    expect(await keeper(installationId).listJobIds()).toEqual([])
    expect(await env.INSTALLATIONS.get(kvKey(installationId))).toBeNull()
  })
})

describe('reading an installation', () => {
  it('falls back to the keeper while KV has no record yet (a fresh write elsewhere)', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    await env.INSTALLATIONS.delete(kvKey(installationId))
    const res = await api('/v1/installations/me', {}, key)
    expect(res.status).toBe(200)
    expect(InstallationInfo.parse(await res.json()).installationId).toBe(installationId)
    const credits = await api('/v1/credits', {}, key)
    expect(credits.status).toBe(200)
  })

  it('charges a verified installation no failed attempts while KV lacks its record', async ({
    expect,
  }) => {
    const ip = uniqueIp()
    const at = { headers: { 'CF-Connecting-IP': ip } }
    const { installationId, key } = await register()
    expect((await api('/v1/installations/me', at, key)).status).toBe(200)
    // This location's KV loses the record: an id not verified here would pay a failed attempt
    // per call, and the address's budget (20 a minute) would end in 429.
    await env.INSTALLATIONS.delete(kvKey(installationId))
    const statuses: number[] = []
    for (let i = 0; i < 25; i += 1)
      statuses.push((await api('/v1/installations/me', at, key)).status)
    expect(statuses).toEqual(Array(25).fill(200))
    // Known or not, the secret is still checked against the keeper's.
    const wrong = `${installationId}.${'0'.repeat(64)}`
    expect((await api('/v1/installations/me', {}, wrong)).status).toBe(401)
  })

  it('treats an unreadable KV record as missing rather than trusting it', async ({ expect }) => {
    const { installationId, key } = await register()
    await env.INSTALLATIONS.put(
      kvKey(installationId),
      JSON.stringify({ v: 1, installationId, secretHash: 'nothex' }),
    )
    // The keeper's own copy still opens the installation.
    expect((await api('/v1/installations/me', {}, key)).status).toBe(200)
  })
})
