import { EventSourceParserStream } from 'eventsource-parser/stream'
import { ChatEvent, TERMINAL_EVENT_TYPES, paths } from '../../../shared/api/index.ts'
import { ApiRequestError, errorFromResponse, isUnreachable } from './errors.ts'
import { resolveBaseUrl, sendWithKey, type WorkerClientOptions } from './http.ts'
import { abortableSleep } from './xhr-send.ts'

/** One validated event of a run's stream, with its session-wide sequence number. */
export interface RunStreamEvent {
  seq: number
  event: ChatEvent
}

export interface StreamRunOptions {
  /** Resume after this sequence number (`Last-Event-ID`); 0 or absent reads from the start. */
  after?: number
  onEvent: (e: RunStreamEvent) => void
  signal?: AbortSignal
}

/** Reconnect delays after a drop; the count bounds how long a dead worker is retried. */
export interface StreamBackoff {
  delaysMs: readonly number[]
}

export const DEFAULT_STREAM_BACKOFF: StreamBackoff = {
  delaysMs: [250, 500, 1000, 2000, 4000, 8000, 8000, 8000],
}

class StreamEnded extends Error {}

/**
 * Reads a run's events until a terminal one (`done`/`error`), re-attaching with `Last-Event-ID`
 * whenever the connection drops; resolves with the last sequence number seen. Events already seen
 * are never delivered twice. Rejects with the worker's error for a refused stream (404...), with
 * `stream_dropped` once the backoff is spent, or with the abort reason.
 */
export async function streamRun(
  opts: WorkerClientOptions,
  sessionId: string,
  runId: string,
  { after = 0, onEvent, signal }: StreamRunOptions,
  backoff: StreamBackoff = DEFAULT_STREAM_BACKOFF,
): Promise<number> {
  let lastSeq = after
  let failures = 0
  for (;;) {
    signal?.throwIfAborted()
    const before = lastSeq
    try {
      const done = await readOnce(opts, sessionId, runId, lastSeq, signal, (e) => {
        lastSeq = e.seq
        onEvent(e)
      })
      if (done) return lastSeq
    } catch (err) {
      if (signal?.aborted) throw signal.reason
      const retryable =
        err instanceof StreamEnded ||
        isUnreachable(err) ||
        (err instanceof ApiRequestError && err.status >= 500) ||
        err instanceof TypeError
      if (!retryable) throw err
    }
    failures = lastSeq > before ? 1 : failures + 1
    const delay = backoff.delaysMs[failures - 1]
    if (delay === undefined) {
      throw new ApiRequestError(
        { code: 'stream_dropped', message: 'The reply stream kept dropping.' },
        0,
        'unreachable',
      )
    }
    await abortableSleep(delay, signal)
  }
}

/** One connection: true when a terminal event arrived, StreamEnded when it closed early. */
async function readOnce(
  opts: WorkerClientOptions,
  sessionId: string,
  runId: string,
  after: number,
  signal: AbortSignal | undefined,
  deliver: (e: RunStreamEvent) => void,
): Promise<boolean> {
  const base = await resolveBaseUrl(opts)
  const res = await sendWithKey(opts, (key) => {
    const headers = new Headers({ Accept: 'text/event-stream' })
    if (key) headers.set('Authorization', `Bearer ${key}`)
    if (after > 0) headers.set('Last-Event-ID', String(after))
    return new Request(base + paths.runEvents(sessionId, runId), { headers, signal })
  })
  if (!res.ok) throw await errorFromResponse(res)
  if (!res.body) throw new StreamEnded()
  const events = res.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream({ maxBufferSize: 1 << 20 }))
  let seen = after
  // A reader loop, not `for await`: async iteration of streams needs Chrome 124.
  const reader = events.getReader()
  try {
    for (;;) {
      const { value: msg, done } = await reader.read()
      if (done) break
      const seq = Number(msg.id)
      if (!Number.isInteger(seq) || seq <= seen) continue
      const parsed = ChatEvent.safeParse(parseJson(msg.data))
      if (!parsed.success) continue
      seen = seq
      deliver({ seq, event: parsed.data })
      if (TERMINAL_EVENT_TYPES.has(parsed.data.type)) return true
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  throw new StreamEnded()
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
