import { describe, it } from 'vitest'
import { ClaimLink } from '../../shared/api/sessions.ts'
import { ProjectState } from '../../shared/api/state.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import {
  api,
  bytes,
  json,
  logOf,
  multipart,
  openSession,
  recordOf,
  register,
  sim,
} from './helpers.ts'

async function upload(
  key: string,
  sessionId: string,
  files: Array<{ name: string; type: string; size: number }>,
) {
  const { body, contentType } = multipart(
    files.map((f) => ({ name: f.name, type: f.type, bytes: bytes(f.size) })),
  )
  const res = await api(
    `/v1/sessions/${sessionId}/uploads`,
    { method: 'POST', body, headers: { 'Content-Type': contentType } },
    key,
  )
  if (res.status !== 200) throw new Error(`upload answered ${res.status}`)
}

describe('GET /v1/sessions/{id}/state', () => {
  it('answers an empty project for a new session', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const res = await api(`/v1/sessions/${sessionId}/state`, {}, key)
    expect(res.status).toBe(200)
    const state = ProjectState.parse(await res.json())
    expect(state.exportable).toBe(false)
    expect(state.timeline.tracks.every((t) => t.segments.length === 0)).toBe(true)
  })

  it('normalises the backend’s draft into a timeline with a summary', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    await upload(key, sessionId, [
      { name: 'city.mp4', type: 'video/mp4', size: 400_000 },
      { name: 'lofi.mp3', type: 'audio/mpeg', size: 16_000 },
    ])
    const res = await api(`/v1/sessions/${sessionId}/state`, {}, key)
    expect(res.status).toBe(200)
    const state = ProjectState.parse(await res.json())
    expect(state.exportable).toBe(true)
    const kinds = state.timeline.tracks.filter((t) => t.segments.length > 0).map((t) => t.kind)
    expect(kinds).toEqual(expect.arrayContaining(['video', 'audio']))
    const video = state.timeline.tracks.find((t) => t.kind === 'video')
    expect(video?.segments[0]?.label).toContain('city')
    expect(state.summary).toMatch(/^Timeline \(\d+ tracks?\): 1\. /)
    expect(state.summary).toContain('city')

    const zh = ProjectState.parse(
      await (await api(`/v1/sessions/${sessionId}/state?lang=zh`, {}, key)).json(),
    )
    expect(zh.summary).not.toBe(state.summary)
  })

  it('is not_found for another installation’s session and for a malformed id', async ({
    expect,
  }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const other = await register()
    const res = await api(`/v1/sessions/${sessionId}/state`, {}, other.key)
    expect(res.status).toBe(404)
    const bad = await api('/v1/sessions/nope/state', {}, key)
    expect(bad.status).toBe(400)
    expect(ErrorEnvelope.parse(await bad.json()).error.issues?.[0]?.path).toBe('param.sessionId')
  })

  it('reads the state of a renewed session after the backend lost it (1002)', async ({
    expect,
  }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    sim.control.dropAllSessions()
    const before = sim.log.length
    const res = await api(`/v1/sessions/${sessionId}/state`, {}, key)
    expect(res.status).toBe(200)
    expect(logOf('session', before)).toHaveLength(1)
  })
})

describe('POST /v1/sessions/{id}/claim', () => {
  it('answers an "open in NemoVideo" link with a claim token, never the token', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    const sessionId = await openSession(key)
    const before = sim.log.length
    const res = await api(`/v1/sessions/${sessionId}/claim`, { method: 'POST' }, key)
    expect(res.status).toBe(200)
    const link = ClaimLink.parse(await res.json())
    const url = new URL(link.url)
    expect(`${url.origin}${url.pathname}`).toBe('https://nemo.web.test/workspace/claim')
    expect(url.searchParams.get('ct')).toMatch(/^clm_/)
    const { token } = await recordOf(installationId)
    expect(link.url).not.toContain(token)
    const [call] = logOf('claim', before)
    expect(call?.body).toMatchObject({
      session_id: expect.any(String),
      task_id: expect.any(String),
    })
  })
})

describe('attribution', () => {
  it('sets Authorization and the three X-Skill-* headers on every upstream request', async ({
    expect,
  }) => {
    const before = sim.log.length
    const { installationId, key } = await register()
    const sessionId = await openSession(key)
    await upload(key, sessionId, [{ name: 'a.png', type: 'image/png', size: 3000 }])
    await api(
      `/v1/sessions/${sessionId}/uploads/urls`,
      json('POST', { urls: ['https://example.com/b.jpg'] }),
      key,
    )
    await api('/v1/credits', {}, key)
    await api(`/v1/sessions/${sessionId}/state`, {}, key)
    await api(`/v1/sessions/${sessionId}/claim`, { method: 'POST' }, key)
    const { token } = await recordOf(installationId)
    sim.control.expireToken(token as string)
    await api('/v1/credits', {}, key)

    const calls = sim.log.slice(before)
    const endpoints = new Set(calls.map((e) => e.endpoint))
    for (const e of ['anonymous-token', 'session', 'upload', 'credits', 'state', 'claim'])
      expect(endpoints).toContain(e)
    for (const call of calls) {
      expect(call.headers['x-skill-source'], call.path).toBe('ai-video-creator-online')
      expect(call.headers['x-skill-version'], call.path).toBe('1.9.0')
      expect(call.headers['x-skill-platform'], call.path).toBe('unknown')
      if (call.endpoint === 'anonymous-token') expect(call.headers['authorization']).toBeUndefined()
      else expect(call.headers['authorization'], call.path).toMatch(/^Bearer \S+$/)
    }
  })
})
