import { describe, expect, it } from 'vitest'
import { startSimulator } from './serve.ts'
import { SKILL_HEADERS } from './test-helpers.ts'

describe('serve.ts', () => {
  it('runs in a process of its own: answers, stops on SIGTERM', async () => {
    const running = await startSimulator({ ownProcess: {} })
    try {
      expect(running.simulator).toBeUndefined()
      const res = await fetch(`${running.url}/api/auth/anonymous-token`, {
        method: 'POST',
        headers: { 'x-client-id': 'proc' },
      })
      expect((await res.json()).data.token).toMatch(/^nmv_anon_/)
      expect((await running.log('anonymous-token')).length).toBe(1)
    } finally {
      await running.stop()
    }
    expect(running.proc!.exited()).toMatch(/exited with (0|SIGTERM)/)
  })

  it('serves the backend and the /__sim control API over HTTP, SSE included', async () => {
    const running = await startSimulator({ config: { timeScale: 0.0005 } })
    try {
      const user = await (
        await fetch(`${running.url}/__sim/user-tokens`, { method: 'POST', body: '{"credits":500}' })
      ).json()
      const auth = {
        ...SKILL_HEADERS,
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/json',
      }
      const session = await (
        await fetch(`${running.url}/api/tasks/me/with-session/nemo_agent`, {
          method: 'POST',
          headers: auth,
          body: '{"task_name":"project","language":"zh-CN"}',
        })
      ).json()
      const sid = session.data.session_id
      const bad = await fetch(`${running.url}/__sim/faults`, {
        method: 'POST',
        body: '{"kind":"nope"}',
      })
      expect(bad.status).toBe(400)
      const sse = await fetch(`${running.url}/run_sse`, {
        method: 'POST',
        headers: { ...auth, accept: 'text/event-stream' },
        body: JSON.stringify({
          app_name: 'nemo_agent',
          user_id: 'me',
          session_id: sid,
          new_message: { parts: [{ text: '生成视频' }] },
        }),
      })
      const text = await sse.text()
      expect(text).toContain('generate_video')
      const draft = await (await fetch(`${running.url}/__sim/sessions/${sid}/draft`)).json()
      expect(draft.t).toHaveLength(3)
      const log = await (await fetch(`${running.url}/__sim/log?endpoint=run_sse`)).json()
      expect(log).toHaveLength(1)
      expect(log[0].body.new_message.parts[0].text).toBe('生成视频')
      await fetch(`${running.url}/__sim/reset`, { method: 'POST' })
      expect(await (await fetch(`${running.url}/__sim/log`)).json()).toEqual([])
    } finally {
      await running.stop()
    }
  })
})
