import { afterEach, describe, expect, it, type ExpectStatic } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { SessionInfo } from '../../shared/api/sessions.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import type { EndpointName, FaultInput } from '../simulator/index.ts'
import {
  chatSession,
  openEvents,
  readFrames,
  replyText,
  runTurn,
  send,
  type Frame,
} from './chat-helpers.ts'
import { api, json, logOf, sim } from './helpers.ts'

/**
 * The backend misbehaves on every JSON endpoint the worker calls on a user's behalf: the user gets
 * a clear error with a way on (retry), the same call works once the backend is back, and the
 * session stays usable. Chat streams: a long silence, a slow backend, a drop mid-stream.
 */

// UPSTREAM_JSON_TIMEOUT_MS and UPSTREAM_STREAM_TIMEOUT_MS in test/worker/vitest.config.ts.
const UPSTREAM_TIMEOUT_MS = 1500

afterEach(() => {
  sim.control.configure({ timeScale: 0.001 })
})

interface Case {
  endpoint: EndpointName
  /** The worker call that makes this backend call. */
  call: (key: string, sessionId: string) => Promise<Response>
}

const CASES: Case[] = [
  {
    endpoint: 'session',
    call: (key) => api(paths.sessions, json('POST', { language: 'en' }), key),
  },
  { endpoint: 'credits', call: (key) => api(paths.credits, {}, key) },
  { endpoint: 'state', call: (key, sessionId) => api(paths.state(sessionId), {}, key) },
  {
    endpoint: 'upload',
    call: (key, sessionId) =>
      api(
        paths.uploadUrls(sessionId),
        json('POST', { urls: ['https://cdn.example.com/a.mp4'] }),
        key,
      ),
  },
  {
    endpoint: 'claim',
    call: (key, sessionId) => api(paths.claim(sessionId), { method: 'POST' }, key),
  },
  {
    // An export reads the draft first: a backend down there leaves no job behind.
    endpoint: 'state',
    call: (key, sessionId) =>
      api(
        paths.createExport(sessionId),
        json('POST', { preset: '9:16', idempotencyKey: `k-${crypto.randomUUID()}` }),
        key,
      ),
  },
]

const FAULTS: Array<{
  name: string
  fault: (endpoint: EndpointName) => FaultInput
  code: string
  status: number
}> = [
  {
    name: '500',
    fault: (endpoint) => ({ kind: 'http', endpoint, status: 500 }),
    code: 'upstream_unavailable',
    status: 502,
  },
  {
    name: '503',
    fault: (endpoint) => ({ kind: 'http', endpoint, status: 503 }),
    code: 'upstream_unavailable',
    status: 502,
  },
  // The backend's own gateway timed out: a timeout to the user too.
  {
    name: '504',
    fault: (endpoint) => ({ kind: 'http', endpoint, status: 504 }),
    code: 'upstream_timeout',
    status: 504,
  },
  {
    name: 'a malformed answer',
    fault: (endpoint) => ({ kind: 'malformed-json', endpoint }),
    code: 'upstream_unavailable',
    status: 502,
  },
]

async function jobCount(key: string): Promise<number> {
  return ((await (await api(paths.exports, {}, key)).json()) as { jobs: unknown[] }).jobs.length
}

async function expectClearError(
  expect: ExpectStatic,
  res: Response,
  code: string,
  status: number,
  where: string,
) {
  expect(res.status, where).toBe(status)
  const { error } = ErrorEnvelope.parse(await res.json())
  expect(error.code, where).toBe(code)
  expect(error.action, where).toMatchObject({ kind: 'retry' })
  // A message meant for a person, not a stack or an upstream page.
  expect(error.message, where).not.toMatch(/<html|at \w+ \(|TypeError|undefined/i)
}

describe('a failing backend on every JSON call', () => {
  it('answers upstream_unavailable with a retry, and the same call works once the backend is back', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    // Media in the draft, so an export can start once the backend is back.
    expect(
      (
        await api(
          paths.uploadUrls(sessionId),
          json('POST', { urls: ['https://cdn.example.com/b.mp4'] }),
          key,
        )
      ).status,
    ).toBe(200)
    for (const { name, fault, code, status } of FAULTS) {
      for (const { endpoint, call } of CASES) {
        const where = `${endpoint} (${call.toString().slice(0, 60)}…) on ${name}`
        const jobsBefore = await jobCount(key)
        sim.control.fault(fault(endpoint))
        await expectClearError(expect, await call(key, sessionId), code, status, where)
        // A failed export creation leaves no job behind.
        expect(await jobCount(key), where).toBe(jobsBefore)
        sim.control.clearFaults()
        const again = await call(key, sessionId)
        expect(again.status, `${where}, then again`).toBeLessThan(300)
      }
    }
    // The session lived through all of it: it answers, and a chat turn runs to its end.
    expect((await api(paths.session(sessionId), {}, key)).status).toBe(200)
    expect((await runTurn(key, sessionId, 'hello')).events.at(-1)?.type).toBe('done')
  })

  it('answers upstream_timeout when the backend does not answer in time; the next call works', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.fault({ kind: 'slow', endpoint: 'state', delayMs: UPSTREAM_TIMEOUT_MS + 500 })
    const slow = await api(paths.state(sessionId), {}, key)
    await expectClearError(expect, slow, 'upstream_timeout', 504, 'state')
    expect((await api(paths.state(sessionId), {}, key)).status).toBe(200)
  })
})

describe('a chat turn against a troubled backend', () => {
  it('a stream that does not start in time: upstream_timeout, sent once; the chat goes on', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.fault({ kind: 'slow', endpoint: 'run_sse', delayMs: UPSTREAM_TIMEOUT_MS + 500 })
    const before = sim.log.length
    const { runId, events } = await runTurn(key, sessionId, 'hello')
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'upstream_timeout', action: { kind: 'retry' } },
    })
    expect(logOf('run_sse', before)).toHaveLength(1)
    const info = SessionInfo.parse(await (await api(paths.session(sessionId), {}, key)).json())
    expect(info.latestRun).toMatchObject({ runId, status: 'failed' })
    // Let the held answer finish, so the backend's turn is over, then talk again.
    await new Promise((r) => setTimeout(r, 600))
    expect((await runTurn(key, sessionId, 'hello')).events.at(-1)?.type).toBe('done')
  })

  it('goes on while the state endpoint is down or slow (it is read only for the drop check)', async ({
    expect,
  }) => {
    const { key, sessionId } = await sessionWithVideo()
    sim.control.fault({ kind: 'http', endpoint: 'state', status: 503, times: 20 })
    const down = await runTurn(key, sessionId, 'change the title to "No State"')
    expect(down.events.at(-1)?.type).toBe('done')
    expect(replyText(down.events)).toBe('Done: the title now reads "No State".')
    sim.control.clearFaults()
    // Slower than the client waits: the read times out, the turn still goes out once and ends.
    sim.control.fault({ kind: 'slow', endpoint: 'state', delayMs: UPSTREAM_TIMEOUT_MS + 500 })
    const before = sim.log.length
    const slow = await runTurn(key, sessionId, 'change the title to "Slow State"')
    expect(slow.events.at(-1)?.type).toBe('done')
    expect(replyText(slow.events)).toBe('Done: the title now reads "Slow State".')
    expect(logOf('run_sse', before)).toHaveLength(1)
  })

  it('a long silence before the first byte says still_working, then the reply arrives whole', async ({
    expect,
  }) => {
    // STILL_WORKING_INTERVAL_MS is 200 in tests.
    const { key, sessionId } = await sessionWithVideo()
    sim.control.nextTurn({ noText: false, trailingIssue: false })
    sim.control.fault({ kind: 'slow-first-byte', delayMs: 2000 })
    const { events } = await runTurn(key, sessionId, 'change the title to "Quiet Start"')
    const firstText = events.findIndex((e) => e.type === 'text')
    const still = events.slice(0, firstText).filter((e) => e.type === 'still_working')
    expect(still.length).toBeGreaterThanOrEqual(2)
    expect(events.at(-1)?.type).toBe('done')
    expect(replyText(events)).toBe('Done: the title now reads "Quiet Start".')
  })

  it('a drop mid-reply ends with a recovered summary or stream_dropped; a new message works', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.configure({ timeScale: 0.01 })
    sim.control.nextTurn({ noText: false, trailingIssue: false })
    sim.control.fault({ kind: 'drop-stream', afterEvents: 3, abort: true })
    const before = sim.log.length
    const dropped = await runTurn(key, sessionId, 'make a video')
    const last = dropped.events.at(-1)
    if (last?.type === 'done') expect(dropped.events.some((e) => e.type === 'summary')).toBe(true)
    else expect(last).toMatchObject({ type: 'error', error: { code: 'stream_dropped' } })
    // Exactly one terminal event; what was said before the drop stays said.
    expect(dropped.events.filter((e) => e.type === 'done' || e.type === 'error')).toHaveLength(1)
    expect(replyText(dropped.events).length).toBeGreaterThan(0)
    expect(logOf('run_sse', before)).toHaveLength(1)

    sim.control.configure({ timeScale: 0.001 })
    const next = await runTurn(key, sessionId, 'change the title to "After the drop"')
    expect(next.events.at(-1)?.type).toBe('done')
    expect(next.runId).not.toBe(dropped.runId)
  })

  it('broken events and fields nobody documented are skipped; the reply is intact', async ({
    expect,
  }) => {
    const { key, sessionId } = await sessionWithVideo()
    sim.control.configure({ sse: { unknownFields: true, comments: true, emptyData: true } })
    for (const style of ['adk', 'documented'] as const) {
      sim.control.nextTurn({ style, noText: false, trailingIssue: false })
      sim.control.fault({ kind: 'malformed-event', times: 2 })
      const runId = await send(key, sessionId, `change the title to "Odd ${style}"`)
      const { frames } = await readFrames(await openEvents(key, sessionId, runId))
      const events = frames.map((f: Frame) => f.data)
      expect(events.at(-1)?.type, style).toBe('done')
      expect(replyText(events), style).toBe(`Done: the title now reads "Odd ${style}".`)
    }
  })
})

/** A session whose draft has a generated video, so an edit answers with a fixed sentence. */
async function sessionWithVideo() {
  const session = await chatSession()
  sim.control.nextTurn({ noText: false, trailingIssue: false })
  expect((await runTurn(session.key, session.sessionId, 'make a video')).events.at(-1)?.type).toBe(
    'done',
  )
  return session
}
