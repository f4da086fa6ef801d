import { describe, expect, it } from 'vitest'
import { RUN_ID_HEADER, paths, type ChatEvent } from '../../../../shared/api/index.ts'
import { createWorkerClient, type RunStreamEvent } from '../../../../extension/utils/api/index.ts'
import { KEY_A, RUN, SESSION, errorResponse, sseFrame } from './fixtures.ts'

/** A response body the test writes to chunk by chunk, and can break like a dropped connection. */
function controlledBody(headers: Record<string, string> = {}) {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (ctrl = c),
    cancel: () => void (cancelled = true),
  })
  const enc = new TextEncoder()
  return {
    response: new Response(body, {
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', ...headers },
    }),
    cancelled: () => cancelled,
    write: (s: string) => ctrl.enqueue(enc.encode(s)),
    writeBytes: (b: Uint8Array) => ctrl.enqueue(b),
    drop: () => ctrl.error(new TypeError('network connection lost')),
    close: () => ctrl.close(),
  }
}

const text = (delta: string): ChatEvent => ({ type: 'text', delta })
const done: ChatEvent = { type: 'done', actions: ['export'] }

function clientWith(connections: ReturnType<typeof controlledBody>[], seen: Request[]) {
  return createWorkerClient({
    baseUrl: 'http://w.test',
    getKey: async () => KEY_A,
    streamBackoff: { delaysMs: [1, 1, 1] },
    fetch: (async (input: Request) => {
      seen.push(input)
      const next = connections.shift()
      if (!next) throw new TypeError('no more connections')
      return next.response
    }) as typeof fetch,
  })
}

describe('streamRun', () => {
  it('parses frames split across chunks, including a multi-byte character cut in half', async () => {
    const conn = controlledBody()
    const seen: Request[] = []
    const events: RunStreamEvent[] = []
    const api = clientWith([conn], seen)
    const run = api.streamRun(SESSION, RUN, { onEvent: (e) => events.push(e) })
    const frame = sseFrame(1, text('你好'))
    const bytes = new TextEncoder().encode(frame + sseFrame(2, done))
    const cut = new TextEncoder().encode(frame).length - 6 // inside the JSON, within 好
    for (const part of [bytes.slice(0, 7), bytes.slice(7, cut), bytes.slice(cut)]) {
      conn.writeBytes(part)
      await new Promise((r) => setTimeout(r, 1))
    }
    await expect(run).resolves.toBe(2)
    expect(events).toEqual([
      { seq: 1, event: text('你好') },
      { seq: 2, event: done },
    ])
    expect(seen[0]!.url).toBe(`http://w.test${paths.runEvents(SESSION, RUN)}`)
    expect(seen[0]!.headers.get('Last-Event-ID')).toBeNull()
  })

  it('re-attaches with Last-Event-ID after a drop and never delivers an event twice', async () => {
    const first = controlledBody()
    const second = controlledBody()
    const seen: Request[] = []
    const events: RunStreamEvent[] = []
    const run = clientWith([first, second], seen).streamRun(SESSION, RUN, {
      after: 4,
      onEvent: (e) => events.push(e),
    })
    first.write(sseFrame(5, text('Hel')))
    first.write(sseFrame(6, { type: 'activity', kind: 'editing' }) + 'event: text\nid: 7\nda')
    await new Promise((r) => setTimeout(r, 5))
    first.drop()
    await new Promise((r) => setTimeout(r, 20))
    // The worker replays from the id it was given; an event seen already is skipped.
    second.write(
      sseFrame(6, { type: 'activity', kind: 'editing' }) +
        sseFrame(7, text('lo')) +
        sseFrame(8, done),
    )
    await expect(run).resolves.toBe(8)
    expect(seen.map((r) => r.headers.get('Last-Event-ID'))).toEqual(['4', '6'])
    expect(events.map((e) => e.seq)).toEqual([5, 6, 7, 8])
    expect(events.map((e) => (e.event.type === 'text' ? e.event.delta : '')).join('')).toBe('Hello')
  })

  it('reconnects when the stream ends without a terminal event', async () => {
    const first = controlledBody()
    const second = controlledBody()
    const seen: Request[] = []
    const run = clientWith([first, second], seen).streamRun(SESSION, RUN, { onEvent: () => {} })
    first.write(sseFrame(1, text('a')))
    first.close()
    second.write(sseFrame(2, { type: 'error', error: { code: 'stream_dropped', message: 'x' } }))
    await expect(run).resolves.toBe(2)
    expect(seen.map((r) => r.headers.get('Last-Event-ID'))).toEqual([null, '1'])
  })

  it('skips frames that are not valid chat events', async () => {
    const conn = controlledBody()
    const events: RunStreamEvent[] = []
    const run = clientWith([conn], []).streamRun(SESSION, RUN, { onEvent: (e) => events.push(e) })
    conn.write('event: text\nid: 1\ndata: {"type":"tool_call","name":"secret"}\n\n')
    conn.write(': ping\n\n')
    conn.write(sseFrame(2, done))
    await expect(run).resolves.toBe(2)
    expect(events.map((e) => e.event.type)).toEqual(['done'])
  })

  it('gives up with stream_dropped after the bounded backoff', async () => {
    const seen: Request[] = []
    const run = clientWith([], seen).streamRun(SESSION, RUN, { onEvent: () => {} })
    await expect(run).rejects.toMatchObject({ error: { code: 'stream_dropped' } })
    expect(seen).toHaveLength(4) // the first try and three reconnects
  })

  it('does not retry a refused stream', async () => {
    const seen: Request[] = []
    const api = createWorkerClient({
      baseUrl: 'http://w.test',
      getKey: async () => KEY_A,
      streamBackoff: { delaysMs: [1, 1] },
      fetch: (async (req: Request) => {
        seen.push(req)
        return errorResponse({ code: 'not_found', message: 'no such run' }, 404)
      }) as typeof fetch,
    })
    await expect(api.streamRun(SESSION, RUN, { onEvent: () => {} })).rejects.toMatchObject({
      status: 404,
      error: { code: 'not_found' },
    })
    expect(seen).toHaveLength(1)
  })

  it('stops when aborted, at once, and lets the connection go', async () => {
    const conn = controlledBody()
    const ac = new AbortController()
    const seen: Request[] = []
    const run = clientWith([conn], seen).streamRun(SESSION, RUN, {
      onEvent: () => ac.abort(),
      signal: ac.signal,
    })
    conn.write(sseFrame(1, text('a')))
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(conn.cancelled()).toBe(true)
    expect(seen).toHaveLength(1)
  })
})

describe('sendMessage', () => {
  const message = { text: 'make a video', clientMessageId: 'msg_1' }

  it('asks for the reply in the answer and follows it from there: no second request until a drop, then Last-Event-ID', async () => {
    const answer = controlledBody({ [RUN_ID_HEADER]: RUN })
    const resumed = controlledBody()
    const seen: Request[] = []
    const api = clientWith([answer, resumed], seen)
    const sent = await api.sendMessage(SESSION, message)
    expect(sent).toMatchObject({ runId: RUN, sessionId: SESSION })
    expect(seen[0]!.method).toBe('POST')
    expect(seen[0]!.url).toBe(`http://w.test${paths.messages(SESSION)}`)
    expect(seen[0]!.headers.get('Accept')).toMatch(/^text\/event-stream/)
    expect(await seen[0]!.json()).toEqual(message)
    const events: RunStreamEvent[] = []
    const run = api.streamRun(SESSION, sent.runId, {
      onEvent: (e) => events.push(e),
      ...(sent.events && { opened: sent.events }),
    })
    answer.write(sseFrame(1, text('Got ')))
    await new Promise((r) => setTimeout(r, 5))
    expect(seen).toHaveLength(1)
    answer.drop()
    await new Promise((r) => setTimeout(r, 20))
    resumed.write(sseFrame(1, text('Got ')) + sseFrame(2, text('it!')) + sseFrame(3, done))
    await expect(run).resolves.toBe(3)
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(seen[1]!.url).toBe(`http://w.test${paths.runEvents(SESSION, RUN)}`)
    expect(seen[1]!.headers.get('Last-Event-ID')).toBe('1')
  })

  it('reads a worker that answers 202 with the run id alone; the run is then opened as before', async () => {
    const seen: Request[] = []
    const api = createWorkerClient({
      baseUrl: 'http://w.test',
      getKey: async () => KEY_A,
      fetch: (async (req: Request) => {
        seen.push(req)
        return Response.json({ runId: RUN, sessionId: SESSION }, { status: 202 })
      }) as typeof fetch,
    })
    const sent = await api.sendMessage(SESSION, message)
    expect(sent).toEqual({ runId: RUN, sessionId: SESSION })
    expect(sent.events).toBeUndefined()
  })

  it('refuses a streamed answer without a valid run id, and lets its body go', async () => {
    const answer = controlledBody({ [RUN_ID_HEADER]: 'not a run' })
    const api = clientWith([answer], [])
    await expect(api.sendMessage(SESSION, message)).rejects.toMatchObject({
      error: { code: 'upstream_unavailable' },
    })
    expect(answer.cancelled()).toBe(true)
  })

  it('throws the worker error of a refused message (409 run_in_progress)', async () => {
    const api = createWorkerClient({
      baseUrl: 'http://w.test',
      getKey: async () => KEY_A,
      fetch: (async () =>
        errorResponse({ code: 'run_in_progress', message: 'busy' }, 409)) as typeof fetch,
    })
    await expect(api.sendMessage(SESSION, message)).rejects.toMatchObject({
      status: 409,
      error: { code: 'run_in_progress' },
    })
  })

  it('an abort stops reading the answer it was given and lets its body go', async () => {
    const answer = controlledBody({ [RUN_ID_HEADER]: RUN })
    const seen: Request[] = []
    const api = clientWith([answer], seen)
    const sent = await api.sendMessage(SESSION, message)
    const ac = new AbortController()
    const run = api.streamRun(SESSION, RUN, {
      onEvent: () => {},
      signal: ac.signal,
      ...(sent.events && { opened: sent.events }),
    })
    answer.write(sseFrame(1, text('a')))
    await new Promise((r) => setTimeout(r, 5))
    ac.abort()
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(answer.cancelled()).toBe(true)
    expect(seen).toHaveLength(1)
  })
})
