import { env } from 'cloudflare:workers'
import { beforeAll, describe, it } from 'vitest'
import { Credits } from '../../../shared/api/credits.ts'
import { InstallationCreated, InstallationInfo } from '../../../shared/api/installations.ts'
import { ErrorEnvelope } from '../../../shared/errors/codes.ts'
import type { Env } from '../../../worker/env.ts'
import { api, json, logOf, openSession, sim, uniqueIp } from '../helpers.ts'

/**
 * A private deployment (issue 11, item 9; project test/worker-team): NEMO_TOKEN makes every
 * installation use the deployment's own NemoVideo account, no anonymous token is asked for, and
 * registering needs the REGISTRATION_CODE (and here a Turnstile pass too).
 */
// The secrets are bindings of this project only (test/worker-team/vitest.config.ts).
const secrets = env as unknown as Env
const TEAM_TOKEN = secrets.NEMO_TOKEN as string
const CODE = secrets.REGISTRATION_CODE as string

beforeAll(() => {
  sim.control.createUserToken({ token: TEAM_TOKEN, credits: 777 })
})

const registration = (body: Record<string, unknown>, ip = uniqueIp()) =>
  api('/v1/installations', json('POST', body, { 'CF-Connecting-IP': ip }))

describe('a private deployment', () => {
  it('refuses registration without the code, or with a wrong one, and asks for nothing upstream', async ({
    expect,
  }) => {
    const before = sim.log.length
    for (const body of [
      {},
      { registrationCode: 'guess' },
      { registrationCode: `${CODE} ` + 'x' },
    ]) {
      const res = await registration({ ...body, turnstileToken: 'turnstile-pass' })
      expect(res.status).toBe(403)
      expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('registration_code_required')
    }
    expect(sim.log.length).toBe(before)
  })

  it('limits wrong codes per address', async ({ expect }) => {
    const ip = uniqueIp()
    const statuses: number[] = []
    for (let i = 0; i < 25; i += 1)
      statuses.push((await registration({ registrationCode: `guess-${i}` }, ip)).status)
    expect(statuses[0]).toBe(403)
    expect(statuses.at(-1)).toBe(429)
  })

  it('needs a passed human check when TURNSTILE_SECRET is set', async ({ expect }) => {
    for (const body of [
      { registrationCode: CODE },
      { registrationCode: CODE, turnstileToken: 'robot' },
    ]) {
      const res = await registration(body)
      expect(res.status).toBe(403)
      expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('human_check_failed')
    }
  })

  it('registers with the code and uses the team token, never an anonymous one', async ({
    expect,
  }) => {
    const before = sim.log.length
    const res = await registration({
      registrationCode: ` ${CODE} `,
      turnstileToken: 'turnstile-pass',
    })
    expect(res.status).toBe(201)
    const created = InstallationCreated.parse(await res.json())
    expect(created.tokenKind).toBe('user')
    expect(created.tokenError).toBeUndefined()
    expect(logOf('anonymous-token', before)).toHaveLength(0)
    expect(JSON.stringify(created)).not.toContain(TEAM_TOKEN)

    const info = InstallationInfo.parse(
      await (await api('/v1/installations/me', {}, created.key)).json(),
    )
    expect(info).toMatchObject({ tokenKind: 'user', team: true, needsApiToken: false })
    expect(info.registerUrl).toBeUndefined()

    const credits = await api('/v1/credits', {}, created.key)
    expect(Credits.parse(await credits.json())).toMatchObject({ available: 777 })
    const sessionId = await openSession(created.key)
    expect(sessionId).toMatch(/^ses_/)
    const used = logOf('credits', before).map((e) => e.headers['authorization'])
    expect(used).toEqual([`Bearer ${TEAM_TOKEN}`])
    // The token is read from the environment at each use, never copied into storage.
    const stored = await env.INSTALLATIONS.get(`inst:${created.installationId}`)
    expect(stored).not.toContain(TEAM_TOKEN)
  })

  it('lets a user’s own token replace the team token, and goes back to it', async ({ expect }) => {
    const res = await registration({ registrationCode: CODE, turnstileToken: 'turnstile-pass' })
    const { key } = InstallationCreated.parse(await res.json())
    const { token } = sim.control.createUserToken({ credits: 5 })
    expect((await api('/v1/installations/me/token', json('PUT', { token }), key)).status).toBe(200)
    expect(Credits.parse(await (await api('/v1/credits', {}, key)).json()).available).toBe(5)
    const back = await api('/v1/installations/me/token', { method: 'DELETE' }, key)
    expect(InstallationInfo.parse(await back.json())).toMatchObject({
      team: true,
      needsApiToken: false,
    })
    const before = sim.log.length
    expect(Credits.parse(await (await api('/v1/credits', {}, key)).json()).available).toBe(777)
    expect(logOf('anonymous-token', before)).toHaveLength(0)
  })
})
