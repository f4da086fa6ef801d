import { afterEach, describe, it } from 'vitest'
import { ApiError } from '../../shared/errors/codes.ts'
import { paths } from '../../shared/api/routes.ts'
import { ProjectState } from '../../shared/api/state.ts'
import { DEFAULT_CONFIG } from '../simulator/index.ts'
import { exportableSession } from './exports-fixtures.ts'
import { api, bytes, multipart, openSession, register, sim } from './helpers.ts'

// The smaller truths of issue 8 (item 5): what a state read, a claim and a refused upload say.

afterEach(() => {
  sim.control.configure({ maxFileBytes: DEFAULT_CONFIG.maxFileBytes })
})

const envelope = async (res: Response) =>
  ApiError.parse(((await res.json()) as { error: unknown }).error)

describe('what the worker says', () => {
  it('a state read that had to renew the session says so, in the UI language, once', async ({
    expect,
  }) => {
    const { key } = await register()
    const sessionId = await exportableSession(key)
    sim.control.dropAllSessions()
    const renewed = ProjectState.parse(
      await (await api(`${paths.state(sessionId)}?lang=zh`, {}, key)).json(),
    )
    expect(renewed.notice).toBe('session_renewed')
    expect(renewed.summary).toBe(
      'NemoVideo 已找不到这个项目，已开始新的会话。时间线（0 条轨道）：空',
    )
    const next = ProjectState.parse(await (await api(paths.state(sessionId), {}, key)).json())
    expect(next.notice).toBeUndefined()
    expect(next.summary).toBe('Timeline (0 tracks): empty')
  })

  it('a 404 from the claim call is not "NemoVideo is not reachable"', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    sim.control.fault({ kind: 'http', endpoint: 'claim', status: 404 })
    const res = await api(paths.claim(sessionId), { method: 'POST' }, key)
    expect(res.status).toBe(404)
    const error = await envelope(res)
    expect(error.code).toBe('claim_unavailable')
    expect(error.message).not.toMatch(/not reachable/)
  })

  it('a 4002 names the limit the backend applied', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    sim.control.configure({ maxFileBytes: 200 * 1024 })
    const body = multipart([{ name: 'clip.mp4', type: 'video/mp4', bytes: bytes(300 * 1024) }])
    const res = await api(
      paths.uploads(sessionId),
      { method: 'POST', body: body.body, headers: { 'Content-Type': body.contentType } },
      key,
    )
    expect(res.status).toBe(413)
    const error = await envelope(res)
    expect(error).toMatchObject({ code: 'file_too_large', params: { limitBytes: 200 * 1024 } })
    expect(error.message).not.toMatch(/500 MB/)
  })
})
