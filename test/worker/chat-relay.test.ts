import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, it, type ExpectStatic } from 'vitest'
import { ChatEvent, type ChatEventType } from '../../shared/api/chat-events.ts'
import { ErrorEnvelope } from '../../shared/api/index.ts'
import { paths, RUN_ID_HEADER } from '../../shared/api/routes.ts'
import { MessageAccepted, RunId, SessionInfo } from '../../shared/api/sessions.ts'
import { DEFAULT_CONFIG } from '../simulator/config.ts'
import { resolveSession } from '../../worker/sessions/access.ts'
import {
  chatSession,
  messageId,
  openEvents,
  postMessage,
  readFrames,
  replyText,
  runTurn,
  send,
  slowTurnSession,
  type Frame,
} from './chat-helpers.ts'
import { api, json, logOf, recordOf, sim } from './helpers.ts'

const CLIENT_TYPES: ReadonlySet<ChatEventType> = new Set([
  'text',
  'activity',
  'still_working',
  'notice',
  'summary',
  'done',
  'error',
])
const SSE = 'text/event-stream'
const TOOL_NAMES =
  /generate_video|add_bgm|add_title|update_title|functionCall|functionResponse|tool_call|tool_result/

/** Puts back the simulator's wire settings and speed after a test changed them. */
afterEach(() => {
  sim.control.configure({
    timeScale: 0.001,
    sseStyle: DEFAULT_CONFIG.sseStyle,
    sse: DEFAULT_CONFIG.sse,
  })
})

/** Frames are well formed: valid events, `event:` equal to the type, strictly rising ids. */
function expectWellFormed(expect: ExpectStatic, frames: Frame[]) {
  for (const [i, frame] of frames.entries()) {
    expect(ChatEvent.safeParse(frame.data).success).toBe(true)
    expect(CLIENT_TYPES.has(frame.data.type)).toBe(true)
    expect(frame.event).toBe(frame.data.type)
    if (i > 0) expect(frame.id).toBeGreaterThan(frames[i - 1]!.id)
    expect(JSON.stringify(frame.data)).not.toMatch(TOOL_NAMES)
  }
  expect(['done', 'error']).toContain(frames.at(-1)?.data.type)
}

/** A session whose timeline has a generated video, so edits have something to change. */
async function sessionWithVideo(language = 'en') {
  const session = await chatSession(language)
  sim.control.nextTurn({ noText: false, trailingIssue: false })
  const first = await runTurn(
    session.key,
    session.sessionId,
    language.startsWith('zh') ? '生成一个视频' : 'make a video',
  )
  return { ...session, first }
}

describe('chat relay', () => {
  it('streams a whole reply through the worker with fresh SSE headers; tool calls stay inside', async ({
    expect,
  }) => {
    const { first } = await sessionWithVideo()
    expect(first.res.headers.get('Content-Type')).toMatch(/^text\/event-stream/)
    expect(first.res.headers.get('Cache-Control')).toBe('no-cache, no-transform')
    expect(first.res.headers.get('Content-Encoding')).toBe('identity')
    expectWellFormed(expect, first.frames)
    // The generation called three tools: three neutral activities, no tool detail.
    expect(first.events.filter((e) => e.type === 'activity')).toHaveLength(3)
    // "Preview it in the timeline, then click Export" came out as PageReel's actions.
    const text = replyText(first.events)
    expect(text).toMatch(/^Got it! Generating your video now\./)
    expect(text).not.toMatch(/click Export/i)
    const done = first.events.at(-1)
    expect(done?.type === 'done' && [...done.actions].sort()).toEqual(['export', 'preview'])
  })

  for (const style of ['documented', 'adk'] as const) {
    it(`keeps Chinese text intact through CRLF and split chunks (${style} style), never doubled`, async ({
      expect,
    }) => {
      const { key, sessionId } = await sessionWithVideo('zh-CN')
      sim.control.configure({ sse: { lineEndings: 'crlf', splitChunks: true } })
      sim.control.nextTurn({ style, noText: false, trailingIssue: false })
      const { frames, events } = await runTurn(key, sessionId, '标题改成“城市之光”')
      expectWellFormed(expect, frames)
      expect(replyText(events)).toBe('已完成：标题已改为“城市之光”。')
    })
  }

  it('skips a broken event in the stream and goes on', async ({ expect }) => {
    const { key, sessionId } = await sessionWithVideo()
    sim.control.nextTurn({ style: 'documented', noText: false, trailingIssue: false })
    sim.control.fault({ kind: 'malformed-event' })
    const { frames, events } = await runTurn(key, sessionId, 'change the title to "Broken"')
    expectWellFormed(expect, frames)
    expect(replyText(events)).toBe('Done: the title now reads "Broken".')
    expect(events.at(-1)?.type).toBe('done')
  })

  it('drops a trailing "temporary issue" after normal output', async ({ expect }) => {
    const { key, sessionId } = await sessionWithVideo()
    sim.control.nextTurn({ style: 'adk', noText: false, trailingIssue: true })
    const { events } = await runTurn(key, sessionId, 'change the title to "Urban Dreams"')
    expect(replyText(events)).toBe('Done: the title now reads "Urban Dreams".')
  })

  it('summarises the timeline when an edit answers with no text', async ({ expect }) => {
    const { key, sessionId } = await sessionWithVideo()
    sim.control.nextTurn({ noText: true, trailingIssue: false })
    const { frames, events } = await runTurn(key, sessionId, 'change the title to "Urban Dreams"')
    expectWellFormed(expect, frames)
    expect(events.some((e) => e.type === 'text')).toBe(false)
    const summary = events.find((e) => e.type === 'summary')
    expect(summary?.type === 'summary' && summary.summary).toContain('Urban Dreams')
    const titles =
      summary?.type === 'summary' ? summary.timeline.tracks.filter((t) => t.kind === 'text') : []
    expect(titles.flatMap((t) => t.segments.map((s) => s.label))).toContain('Urban Dreams')
    expect(events.at(-1)?.type).toBe('done')
  })

  it('says still_working while the backend only sends heartbeats', async ({ expect }) => {
    // STILL_WORKING_INTERVAL_MS is 200 in tests; a generation at this speed is silent for 1-3 s.
    const { key, sessionId } = await chatSession()
    sim.control.configure({ timeScale: 0.01 })
    sim.control.nextTurn({ noText: false, trailingIssue: false })
    const { frames, events } = await runTurn(key, sessionId, 'make a video')
    expectWellFormed(expect, frames)
    const still = events.filter((e) => e.type === 'still_working')
    expect(still.length).toBeGreaterThan(0)
    for (const e of still)
      expect(e.type === 'still_working' && e.silentForMs).toBeGreaterThanOrEqual(200)
  })

  it('re-attaches with Last-Event-ID: exactly the missed events, then the tail; one /run_sse', async ({
    expect,
  }) => {
    const { key, sessionId, before } = await slowTurnSession()
    const runId = await send(key, sessionId, 'make a video')
    // The popup reads the first text, then closes (the reader is cancelled mid-run).
    const part = await readFrames(await openEvents(key, sessionId, runId), (f) =>
      f.some((x) => x.data.type === 'text'),
    )
    expect(part.closed).toBe(false)
    const lastSeen = part.frames.at(-1)!.id
    // The session let go of the reader that went away, while the turn runs on without it.
    const stub = env.PROJECT_SESSION.get(env.PROJECT_SESSION.idFromName(sessionId))
    const listening = () => runInDurableObject(stub, (instance) => instance.liveReaders(runId))
    // Up to about 10 s: on a loaded machine the cancel can take far longer than its usual few ms.
    for (let i = 0; i < 1000 && (await listening()) > 0; i++)
      await new Promise((r) => setTimeout(r, 10))
    expect(await listening()).toBe(0)
    const rest = await readFrames(await openEvents(key, sessionId, runId, lastSeen))
    expect(rest.closed).toBe(true)
    const all = await readFrames(await openEvents(key, sessionId, runId))
    expect(rest.frames[0]!.id).toBeGreaterThan(lastSeen)
    expect([...part.frames, ...rest.frames].map((f) => f.id)).toEqual(all.frames.map((f) => f.id))
    expect(new Set(all.frames.map((f) => f.id)).size).toBe(all.frames.length)
    expectWellFormed(expect, all.frames)
    expect(all.frames.at(-1)?.data.type).toBe('done')
    expect(logOf('run_sse', before)).toHaveLength(1)
    // ?after= works like the header.
    const viaQuery = await readFrames(
      await api(`${paths.runEvents(sessionId, runId)}?after=${lastSeen}`, {}, key),
    )
    expect(viaQuery.frames.map((f) => f.id)).toEqual(rest.frames.map((f) => f.id))
  })

  it('answers a message asked for as SSE with its reply: the run in X-Run-Id, the same frames as its events; a retry streams the same run; one /run_sse', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.nextTurn({ noText: false, trailingIssue: false })
    const before = sim.log.length
    const clientMessageId = messageId()
    const res = await postMessage(key, sessionId, 'make a video', clientMessageId, SSE)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/)
    expect(res.headers.get('Content-Encoding')).toBe('identity')
    const runId = RunId.parse(res.headers.get(RUN_ID_HEADER))
    const streamed = await readFrames(res)
    expect(streamed.closed).toBe(true)
    expectWellFormed(expect, streamed.frames)
    expect(replyText(streamed.frames.map((f) => f.data))).toMatch(/^Got it!/)
    const stored = await readFrames(await openEvents(key, sessionId, runId))
    expect(streamed.frames).toEqual(stored.frames)
    // The same message again (a retry after a lost answer): the same run, from its first event.
    const retry = await postMessage(key, sessionId, 'make a video', clientMessageId, SSE)
    expect(retry.headers.get(RUN_ID_HEADER)).toBe(runId)
    expect((await readFrames(retry)).frames).toEqual(stored.frames)
    expect(logOf('run_sse', before)).toHaveLength(1)
    // An extension page reads the run id across origins: the header is exposed to it.
    const origin = 'moz-extension://0b1c2d3e-aaaa-bbbb-cccc-123456789abc'
    const fromPage = await api(
      paths.messages(sessionId),
      json('POST', { text: 'make a video', clientMessageId }, { Accept: SSE, Origin: origin }),
      key,
    )
    expect(fromPage.headers.get('Access-Control-Allow-Origin')).toBe(origin)
    expect(fromPage.headers.get('Access-Control-Expose-Headers')).toContain(RUN_ID_HEADER)
    expect(fromPage.headers.get(RUN_ID_HEADER)).toBe(runId)
    await fromPage.body?.cancel()
    // A client that asks for JSON still gets the run id alone.
    const plain = await postMessage(key, sessionId, 'make a video', clientMessageId)
    expect(plain.status).toBe(202)
    expect(MessageAccepted.parse(await plain.json()).runId).toBe(runId)
  })

  it('a streamed answer the client leaves mid-reply: the turn runs on, and Last-Event-ID resumes it', async ({
    expect,
  }) => {
    const { key, sessionId, before } = await slowTurnSession()
    const res = await postMessage(key, sessionId, 'make a video', messageId(), SSE)
    const runId = RunId.parse(res.headers.get(RUN_ID_HEADER))
    const part = await readFrames(res, (f) => f.some((x) => x.data.type === 'text'))
    expect(part.closed).toBe(false)
    const rest = await readFrames(await openEvents(key, sessionId, runId, part.frames.at(-1)!.id))
    const all = await readFrames(await openEvents(key, sessionId, runId))
    expect([...part.frames, ...rest.frames]).toEqual(all.frames)
    expect(all.frames.at(-1)?.data.type).toBe('done')
    expect(logOf('run_sse', before)).toHaveLength(1)
  })

  it('refuses a second message while a turn runs the same way whatever it asks for (409 JSON)', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.configure({ timeScale: 0.01 })
    const first = await postMessage(key, sessionId, 'make a video', messageId(), SSE)
    const second = await postMessage(key, sessionId, 'add music', messageId(), SSE)
    expect(second.status).toBe(409)
    expect(second.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(ErrorEnvelope.parse(await second.json()).error.code).toBe('run_in_progress')
    await readFrames(first)
  })

  it('after a dropped stream, reports the edit the backend finished anyway', async ({ expect }) => {
    const { key, sessionId } = await sessionWithVideo()
    for (const abort of [false, true]) {
      sim.control.nextTurn({ noText: false, trailingIssue: false })
      sim.control.fault({ kind: 'drop-stream', afterEvents: 1, abort })
      const title = abort ? 'Reset' : 'Closed'
      const { frames, events } = await runTurn(key, sessionId, `change the title to "${title}"`)
      expectWellFormed(expect, frames)
      const summary = events.find((e) => e.type === 'summary')
      expect(summary?.type === 'summary' && summary.summary).toContain(title)
      expect(events.at(-1)?.type).toBe('done')
    }
  })

  it('after a dropped stream with nothing changed, fails the turn as stream_dropped; the chat goes on', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.nextTurn({ noText: false, trailingIssue: false })
    sim.control.fault({ kind: 'drop-stream', afterEvents: 0, abort: true })
    const { frames, events } = await runTurn(key, sessionId, 'hello')
    expectWellFormed(expect, frames)
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'stream_dropped' } })
    const next = await runTurn(key, sessionId, 'hello')
    expect(next.events.at(-1)?.type).toBe('done')
  })

  it('turns 2001 mid-chat into an error event with the registration link', async ({ expect }) => {
    const { key, installationId, sessionId } = await chatSession()
    sim.control.setCredits('all', 0)
    const before = sim.log.length
    const { frames, events } = await runTurn(key, sessionId, 'make a video')
    expectWellFormed(expect, frames)
    expect(events).toHaveLength(1)
    const bindId =
      (await recordOf(installationId)).anonUserId ??
      (await resolveSession(env, installationId, sessionId)).userId
    expect(bindId).toMatch(/^anon_/)
    expect(events[0]).toMatchObject({
      type: 'error',
      error: {
        code: 'no_credits',
        action: { kind: 'register', url: `https://nemo.web.test/register?bind=${bindId}` },
      },
    })
    expect(logOf('run_sse', before)).toHaveLength(1)
    sim.control.setCredits('all', 100_000)
    expect((await runTurn(key, sessionId, 'hello')).events.at(-1)?.type).toBe('done')
  })

  it('turns a backend failure before the stream into an error event and a failed run', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.fault({ kind: 'http', endpoint: 'run_sse', status: 503 })
    const before = sim.log.length
    const { runId, events } = await runTurn(key, sessionId, 'hello')
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'upstream_unavailable' }) },
    ])
    // A 5xx may have reached the backend: the prompt is not sent again.
    expect(logOf('run_sse', before)).toHaveLength(1)
    const info = SessionInfo.parse(await (await api(paths.session(sessionId), {}, key)).json())
    expect(info.latestRun).toMatchObject({ runId, status: 'failed' })
  })
})
