import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startSimulator } from './serve.ts'
import { SKILL_HEADERS } from './test-helpers.ts'

describe('serve.ts', () => {
  it('runs as a process: prints its URL, answers, stops on SIGTERM', async () => {
    const entry = fileURLToPath(new URL('./serve.ts', import.meta.url))
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, SIM_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out)
          if (match) resolve(match[0])
        })
        child.on('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      const res = await fetch(`${url}/api/auth/anonymous-token`, {
        method: 'POST',
        headers: { 'x-client-id': 'proc' },
      })
      expect((await res.json()).data.token).toMatch(/^nmv_anon_/)
    } finally {
      const exited = new Promise((r) => child.on('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    expect(child.exitCode === 0 || child.signalCode === 'SIGTERM').toBe(true)
  })

  it('serves the backend and the /__sim control API over HTTP, SSE included', async () => {
    const running = await startSimulator(0, { timeScale: 0.0005 })
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
      await running.close()
    }
  })
})
