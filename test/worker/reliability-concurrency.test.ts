import { afterEach, describe, it } from 'vitest'
import { MessageAccepted } from '../../shared/api/sessions.ts'
import { paths } from '../../shared/api/routes.ts'
import { UploadResult } from '../../shared/api/uploads.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import {
  chatSession,
  messageId,
  openEvents,
  postMessage,
  readFrames,
  send,
  slowTurnSession,
} from './chat-helpers.ts'
import { api, bytes, logOf, multipart, sim } from './helpers.ts'

/**
 * Two popups of one installation, a user who clicks twice, several files at once: nothing is
 * rendered or sent twice and nothing is lost. (A double-clicked export is in
 * exports-lifecycle.test.ts: one render for concurrent clicks with one idempotency key.)
 */

afterEach(() => {
  sim.control.configure({ timeScale: 0.001 })
})

describe('two popups following one run', () => {
  it('both get every event, in order, with the same sequence numbers; the prompt went out once', async ({
    expect,
  }) => {
    const { key, sessionId, before } = await slowTurnSession()
    const runId = await send(key, sessionId, 'make a video')
    const [one, two] = await Promise.all([
      openEvents(key, sessionId, runId).then(readFrames),
      // The second popup opens a little later, in the middle of the reply.
      new Promise((r) => setTimeout(r, 150))
        .then(() => openEvents(key, sessionId, runId))
        .then(readFrames),
    ])
    expect(one.closed && two.closed).toBe(true)
    expect(one.frames.at(-1)?.data.type).toBe('done')
    expect(two.frames.map((f) => f.id)).toEqual(one.frames.map((f) => f.id))
    expect(two.frames.map((f) => f.data)).toEqual(one.frames.map((f) => f.data))
    for (let i = 1; i < one.frames.length; i += 1)
      expect(one.frames[i]!.id).toBeGreaterThan(one.frames[i - 1]!.id)
    expect(logOf('run_sse', before)).toHaveLength(1)
  })
})

describe('messages sent at the same moment', () => {
  it('start exactly one turn; the others are told run_in_progress, never silently dropped', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.fault({ kind: 'slow-first-byte', delayMs: 3000 })
    const before = sim.log.length
    const texts = ['one', 'two', 'three', 'four', 'five', 'six'].map((t) => `message ${t}`)
    const answers = await Promise.all(texts.map((text) => postMessage(key, sessionId, text)))
    const accepted = answers.filter((r) => r.status === 202)
    expect(accepted).toHaveLength(1)
    for (const refused of answers.filter((r) => r.status !== 202)) {
      expect(refused.status).toBe(409)
      expect(ErrorEnvelope.parse(await refused.json()).error).toMatchObject({
        code: 'run_in_progress',
      })
    }
    const { runId } = MessageAccepted.parse(await accepted[0]!.json())
    const { frames } = await readFrames(await openEvents(key, sessionId, runId))
    expect(frames.at(-1)?.data.type).toBe('done')
    const calls = logOf('run_sse', before)
    expect(calls).toHaveLength(1)
    // The one that went out is the accepted one's text, whole.
    const sentText = (calls[0]!.body as { new_message: { parts: Array<{ text: string }> } })
      .new_message.parts[0]!.text
    expect(texts).toContain(sentText)
    // A refused message can be sent again once the turn ended.
    const retried = await postMessage(
      key,
      sessionId,
      texts.find((t) => t !== sentText)!,
    )
    expect(retried.status).toBe(202)
    await readFrames(
      await openEvents(key, sessionId, MessageAccepted.parse(await retried.json()).runId),
    )
  })

  it('with the same clientMessageId (a retried send) are one run, sent once', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    const before = sim.log.length
    const id = messageId()
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postMessage(key, sessionId, 'hello', id)),
    )
    expect(answers.map((r) => r.status)).toEqual(Array(5).fill(202))
    const runIds = new Set(
      await Promise.all(answers.map(async (r) => MessageAccepted.parse(await r.json()).runId)),
    )
    expect(runIds.size).toBe(1)
    await readFrames(await openEvents(key, sessionId, [...runIds][0]!))
    expect(logOf('run_sse', before)).toHaveLength(1)
  })
})

describe('uploads in parallel to one session', () => {
  it('all succeed, each reaching the backend whole with its own Content-Length', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    const files = [
      { name: 'a.mp4', type: 'video/mp4', size: 180_000 },
      { name: 'b.jpg', type: 'image/jpeg', size: 40_000 },
      { name: 'c.mp3', type: 'audio/mpeg', size: 95_000 },
      { name: 'd.png', type: 'image/png', size: 7_000 },
      { name: 'e.mov', type: 'video/quicktime', size: 260_000 },
    ]
    const bodies = files.map((f, i) => ({
      ...f,
      ...multipart([{ name: f.name, type: f.type, bytes: bytes(f.size, i + 1) }]),
    }))
    const before = sim.log.length
    const answers = await Promise.all(
      bodies.map((b) =>
        api(
          paths.uploads(sessionId),
          { method: 'POST', body: b.body, headers: { 'Content-Type': b.contentType } },
          key,
        ),
      ),
    )
    expect(answers.map((r) => r.status)).toEqual(Array(files.length).fill(200))
    const results = await Promise.all(answers.map(async (r) => UploadResult.parse(await r.json())))
    expect(results.map((r) => r.files.map((f) => f.filename))).toEqual(files.map((f) => [f.name]))

    const uploads = logOf('upload', before)
    expect(uploads).toHaveLength(files.length)
    for (const b of bodies) {
      // Matched by boundary: each request carried its own body, untouched and complete.
      const seen = uploads.find((u) => u.headers['content-type'] === b.contentType)
      expect(seen?.headers['content-length'], b.name).toBe(String(b.body.byteLength))
      expect(seen?.uploadBytes, b.name).toBe(b.body.byteLength)
    }
    // Every file joined the session's draft.
    const draft = JSON.stringify(sim.control.draft(sim.control.sessionIds().at(-1)!))
    for (const f of files) expect(draft, f.name).toContain(f.name.split('.')[0])
  })
})
