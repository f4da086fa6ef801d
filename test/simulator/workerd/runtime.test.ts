import { describe, expect, it } from 'vitest'
import { createSimulator } from '../index.ts'
import {
  call,
  chat,
  newSession,
  ORIGIN,
  readSse,
  replyText,
  SKILL_HEADERS,
} from '../test-helpers.ts'

// Web-standard APIs only: this file also runs inside workerd (see ./vitest.config.ts).
describe('the simulator in this runtime', () => {
  it('uploads, chats, renders and serves the file', async () => {
    const sim = createSimulator({
      timeScale: 0.0005,
      render: { mode: 'polls', pollsToComplete: 2 },
    })
    const { token } = sim.control.createUserToken()
    const sid = await newSession(sim, token, 'zh-CN')
    const form = new FormData()
    form.append('files', new Blob([new Uint8Array(100_000)]), 'a.mp4')
    const up = await sim.fetch(
      new Request(`${ORIGIN}/api/upload-video/nemo_agent/me/${sid}`, {
        method: 'POST',
        headers: { ...SKILL_HEADERS, authorization: `Bearer ${token}` },
        body: form,
      }),
    )
    expect(((await up.json()) as { code: number }).code).toBe(0)
    expect(sim.log.at(-1)?.uploadBytes).toBeGreaterThan(100_000)

    const { events } = await readSse(await chat(sim, token, sid, '生成视频'))
    expect(replyText(events)).toContain('视频已生成')
    const draft = sim.control.draft(sid)
    expect(draft?.t.find((t) => t.tt === 0)?.sg[0]?.nm).toBe('a.mp4')

    const submitted = await call(sim, '/api/render/proxy/lambda', {
      token,
      json: { id: 'render_rt', sessionId: sid, draft, output: { format: 'mp4', quality: 'high' } },
    })
    expect(submitted.status).toBe(200)
    await call(sim, '/api/render/proxy/lambda/render_rt', { token })
    const done = (await (
      await call(sim, '/api/render/proxy/lambda/render_rt', { token })
    ).json()) as Record<string, any>
    const url = done.data?.outputUrl ?? done.output?.url
    const file = await sim.fetch(new Request(url))
    const bytes = new Uint8Array(await file.arrayBuffer())
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('ftyp')
  })

  it('drops a stream with a connection reset', async () => {
    const sim = createSimulator({ timeScale: 0.0005 })
    const { token } = sim.control.createUserToken()
    const sid = await newSession(sim, token)
    sim.control.fault({ kind: 'drop-stream', afterEvents: 1, abort: true })
    await expect(readSse(await chat(sim, token, sid, 'make a video'))).rejects.toThrow()
    expect(sim.control.runningTurns()).toEqual({})
  })
})
