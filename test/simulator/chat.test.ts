import { describe, expect, it } from 'vitest'
import {
  anonymousToken,
  call,
  chat,
  newSession,
  readSse,
  replyText,
  testSimulator,
  toolNames,
} from './test-helpers.ts'
import type { Simulator } from './index.ts'

async function setup(sim: Simulator, language = 'en') {
  const { token } = sim.control.createUserToken()
  const sid = await newSession(sim, token, language)
  return { token, sid }
}

async function draftOf(sim: Simulator, token: string, sid: string) {
  const body = await (await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token })).json()
  return body.data.state.draft
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const splitsACharacter = (chunk: Uint8Array) => {
  try {
    strictUtf8.decode(chunk)
    return false
  } catch {
    return true
  }
}

describe('/run_sse wire format', () => {
  it('mixes CRLF and LF, splits UTF-8 characters across chunks, sends comments and empty data lines', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim, 'zh-CN')
    const res = await chat(sim, token, sid, '帮我生成一个视频')
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const { chunks, comments, data, events } = await readSse(res)
    const wire = chunks.map((c) => new TextDecoder().decode(c))
    expect(wire.some((w) => w.includes('\r\n'))).toBe(true)
    expect(wire.some((w) => /[^\r]\n/.test(w))).toBe(true)
    expect(chunks.some(splitsACharacter)).toBe(true)
    expect(wire.some((w) => (w.match(/data:/g) ?? []).length >= 2)).toBe(true)
    expect(comments.length).toBeGreaterThan(0)
    expect(data).toContain('')
    expect(replyText(events)).toContain('视频已生成')
    expect(events.some((e) => e.type === 'done')).toBe(false)
  })

  it('uses LF only and whole events when told', async () => {
    const sim = testSimulator({ sse: { lineEndings: 'lf', splitChunks: false, comments: false } })
    const { token, sid } = await setup(sim, 'zh-CN')
    const { chunks, comments } = await readSse(await chat(sim, token, sid, '生成视频'))
    expect(chunks.every((c) => !splitsACharacter(c))).toBe(true)
    expect(chunks.every((c) => !new TextDecoder().decode(c).includes('\r'))).toBe(true)
    expect(comments).toEqual([])
  })
})

describe('/run_sse turns', () => {
  it('generates a timeline in the documented style, and the state shows it', async () => {
    const sim = testSimulator({ sseStyle: 'documented' })
    const { token, sid } = await setup(sim)
    const { events } = await readSse(
      await chat(sim, token, sid, 'Make a video called "Urban Dreams"'),
    )
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['text', 'tool_call', 'tool_result', 'heartbeat']),
    )
    expect(toolNames(events)).toEqual(['generate_video', 'add_bgm', 'add_title'])
    expect(events.every((e) => 'invocation_id' in e)).toBe(true)
    expect(replyText(events)).toContain('ready ✨')
    expect(replyText(events)).toContain('click Export')
    const draft = await draftOf(sim, token, sid)
    expect(draft.t.map((t: { tt: number }) => t.tt)).toEqual([0, 1, 7])
    expect(draft.m.title).toBe('Urban Dreams')
    expect(draft.d).toBeGreaterThan(0)
  })

  it('speaks ADK: partial deltas, then a final event repeating the whole text', async () => {
    const sim = testSimulator({ sseStyle: 'adk', sse: { trailingIssueRate: 0 } })
    const { token, sid } = await setup(sim)
    const { events } = await readSse(await chat(sim, token, sid, 'generate a promo video'))
    const deltas = replyText(events)
    const finals = events.filter((e) => e.content && e.partial !== true && e.content.parts[0].text)
    expect(finals.map((e) => e.content.parts[0].text).join('')).toBe(deltas)
    expect(events.some((e) => e.content?.parts[0]?.functionCall?.name === 'generate_video')).toBe(
      true,
    )
    expect(events.some((e) => e.content?.parts[0]?.functionResponse?.response?.ok === true)).toBe(
      true,
    )
  })

  it('edits the draft: title, music, shorter, aspect', async () => {
    const sim = testSimulator({ sse: { noTextRate: 0, trailingIssueRate: 0 } })
    const { token, sid } = await setup(sim)
    await readSse(await chat(sim, token, sid, 'make a video'))
    const before = await draftOf(sim, token, sid)

    const title = await readSse(await chat(sim, token, sid, 'change the title to Hello World'))
    expect(replyText(title.events)).toContain('Hello World')
    expect((await draftOf(sim, token, sid)).m.title).toBe('Hello World')

    await readSse(await chat(sim, token, sid, 'remove the music'))
    expect((await draftOf(sim, token, sid)).t.some((t: { tt: number }) => t.tt === 1)).toBe(false)
    await readSse(await chat(sim, token, sid, 'add some music'))
    expect((await draftOf(sim, token, sid)).t.some((t: { tt: number }) => t.tt === 1)).toBe(true)

    await readSse(await chat(sim, token, sid, 'make it shorter'))
    expect((await draftOf(sim, token, sid)).d).toBeLessThan(before.d)

    await readSse(await chat(sim, token, sid, 'make it vertical 9:16'))
    expect((await draftOf(sim, token, sid)).m).toMatchObject({ width: 1080, height: 1920 })
  })

  it('answers an edit with no text at all but still changes the draft', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    await readSse(await chat(sim, token, sid, 'make a video'))
    sim.control.nextTurn({ noText: true, trailingIssue: false })
    const { events } = await readSse(await chat(sim, token, sid, 'change the title to Quiet'))
    expect(replyText(events)).toBe('')
    expect(toolNames(events)).toEqual(['update_title'])
    expect((await draftOf(sim, token, sid)).m.title).toBe('Quiet')
  })

  it('says nothing on some edits by itself (seeded, about 30%)', async () => {
    const sim = testSimulator({ sse: { trailingIssueRate: 0 } })
    const { token, sid } = await setup(sim)
    await readSse(await chat(sim, token, sid, 'make a video'))
    let silent = 0
    for (let i = 0; i < 12; i++) {
      const { events } = await readSse(await chat(sim, token, sid, `change the title to T${i}`))
      if (replyText(events) === '') silent += 1
    }
    expect(silent).toBeGreaterThan(0)
    expect(silent).toBeLessThan(12)
  })

  it('adds the trailing temporary-issue line after normal output', async () => {
    const sim = testSimulator({ sseStyle: 'documented' })
    const { token, sid } = await setup(sim)
    sim.control.nextTurn({ trailingIssue: true })
    const { events } = await readSse(await chat(sim, token, sid, 'hello there'))
    const text = replyText(events)
    expect(text.endsWith('I encountered a temporary issue. Please try again in a moment.')).toBe(
      true,
    )
    expect(text.length).toBeGreaterThan(
      'I encountered a temporary issue. Please try again in a moment.'.length,
    )
  })

  it('freezes the cost while the turn runs and charges it after', async () => {
    const sim = testSimulator({ timeScale: 0.002 })
    const { token } = await anonymousToken(sim)
    const sid = await newSession(sim, token)
    const res = await chat(sim, token, sid, 'make a video')
    const during = (await (await call(sim, '/api/credits/balance/simple', { token })).json()).data
    expect(during).toEqual({ available: 0, frozen: 100, total: 100 })
    await readSse(res)
    const after = (await (await call(sim, '/api/credits/balance/simple', { token })).json()).data
    expect(after).toEqual({ available: 0, frozen: 0, total: 0 })
  })

  it('refuses a turn the credits cannot pay with JSON 2001 before any stream', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    sim.control.setCredits(token, 10)
    const res = await chat(sim, token, sid, 'make a video')
    expect(res.status).toBe(402)
    expect(res.headers.get('content-type')).toMatch(/json/)
    expect((await res.json()).code).toBe(2001)
    const reply = await chat(sim, token, sid, 'hi, what can you do?')
    expect(reply.status).toBe(200)
    await readSse(reply)
  })

  it('answers 1002 for an unknown session and 1001 without a token', async () => {
    const sim = testSimulator()
    const { token } = await setup(sim)
    const unknown = await chat(sim, token, '1111111111111111111', 'hi')
    expect([unknown.status, (await unknown.json()).code]).toEqual([404, 1002])
    const anon = await call(sim, '/run_sse', {
      json: { session_id: 'x', new_message: { parts: [{ text: 'hi' }] } },
    })
    expect((await anon.json()).code).toBe(1001)
  })

  it('logs a second /run_sse for a session while a turn runs, and still answers it', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    const first = await chat(sim, token, sid, 'make a video')
    expect(sim.control.runningTurns()).toEqual({ [sid]: 1 })
    const second = await chat(sim, token, sid, 'hello?')
    expect(second.status).toBe(200)
    expect(
      sim.log.filter((e) => e.endpoint === 'run_sse').map((e) => Boolean(e.reentrant)),
    ).toEqual([false, true])
    await Promise.all([readSse(first), readSse(second)])
    expect(sim.control.runningTurns()).toEqual({})
  })

  it('finishes the work when the client goes away mid-turn', async () => {
    const sim = testSimulator({ timeScale: 0.002 })
    const { token, sid } = await setup(sim)
    const res = await chat(sim, token, sid, 'make a video')
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    await reader.cancel()
    expect(sim.control.runningTurns()).toEqual({})
    expect(sim.control.draft(sid)?.t.map((t) => t.tt)).toEqual([0, 1, 7])
  })
})

describe('/run_sse faults', () => {
  it('drops the stream in the middle of an event, and the backend still finishes the work', async () => {
    const sim = testSimulator({ sse: { splitChunks: false } })
    const { token, sid } = await setup(sim)
    sim.control.fault({ kind: 'drop-stream', afterEvents: 2 })
    const { chunks, events } = await readSse(await chat(sim, token, sid, 'make a video'))
    const wire = chunks.map((c) => new TextDecoder().decode(c)).join('')
    expect(wire.endsWith('\n\n')).toBe(false)
    expect(events.filter((e) => e.type !== 'heartbeat').length).toBeLessThanOrEqual(2)
    expect(sim.control.draft(sid)?.t.length).toBe(3)
  })

  it('resets the connection when the drop is an abort', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    sim.control.fault({ kind: 'drop-stream', afterEvents: 1, abort: true })
    await expect(readSse(await chat(sim, token, sid, 'make a video'))).rejects.toThrow(/reset/)
  })

  it('sends one event with broken JSON', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    sim.control.fault({ kind: 'malformed-event' })
    const { data, events } = await readSse(await chat(sim, token, sid, 'hello'))
    expect(data.filter((d) => d !== '').length - events.length).toBe(1)
  })

  it('sends headers at once and holds the first byte on slow-first-byte', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    sim.control.fault({ kind: 'slow-first-byte', delayMs: 300 })
    const res = await chat(sim, token, sid, 'hello')
    expect(res.status).toBe(200)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const first = await Promise.race([
      reader.read().then(() => 'byte'),
      new Promise((r) => setTimeout(() => r('waiting'), 100)),
    ])
    expect(first).toBe('waiting')
    await reader.cancel()
  })
})
