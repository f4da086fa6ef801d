import { describe, expect, it } from 'vitest'
import { anonymousToken, call, newSession, testSimulator } from './test-helpers.ts'

describe('sessions', () => {
  it('answers a 19-digit session id, a task id and the anon user id under data', async () => {
    const sim = testSimulator()
    const { token, user_id } = await anonymousToken(sim)
    const res = await call(sim, '/api/tasks/me/with-session/nemo_agent', {
      token,
      json: { task_name: 'project', language: 'en' },
    })
    const body = await res.json()
    expect(body.code).toBe(0)
    expect(body.data.session_id).toMatch(/^[1-9]\d{18}$/)
    expect(body.data.user_id).toBe(user_id)
    expect(body.data.task_id).toEqual(expect.any(String))
    expect(body).not.toHaveProperty('session_id')
  })

  it.each([
    ['top', false, true],
    ['both', true, true],
  ] as const)('puts session_id where sessionIdNesting=%s says', async (nesting, inData, atTop) => {
    const sim = testSimulator({ sessionIdNesting: nesting })
    const { token } = await anonymousToken(sim)
    const body = await (
      await call(sim, '/api/tasks/me/with-session/nemo_agent', {
        token,
        json: { task_name: 'p', language: 'en' },
      })
    ).json()
    expect('session_id' in body.data).toBe(inData)
    expect('session_id' in body).toBe(atTop)
  })

  it('serves the latest state with an empty draft and the canvas', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    const sid = await newSession(sim, token)
    const body = await (await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token })).json()
    expect(body.code).toBe(0)
    expect(body.data).toMatchObject({ session_id: sid, task_name: 'project' })
    expect(body.data.state).toMatchObject({
      draft: { t: [], d: 0, m: { width: 1920, height: 1080 } },
      video_infos: [],
      canvas_config: { width: 1920, height: 1080, ratio: '16:9' },
      video_analyses: [],
      generated_media: [],
    })
  })

  it('answers 1002 for an unknown, dropped or foreign session', async () => {
    const sim = testSimulator()
    const { token } = await anonymousToken(sim)
    const stranger = await anonymousToken(sim)
    const sid = await newSession(sim, token)
    const foreign = await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, {
      token: stranger.token,
    })
    expect([foreign.status, (await foreign.json()).code]).toEqual([404, 1002])
    expect(sim.control.dropSession(sid)).toBe(true)
    const gone = await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token })
    expect([gone.status, (await gone.json()).code]).toEqual([404, 1002])
    const unknown = await call(sim, '/api/state/nemo_agent/me/1234567890123456789/latest', {
      token,
    })
    expect((await unknown.json()).code).toBe(1002)
  })
})
