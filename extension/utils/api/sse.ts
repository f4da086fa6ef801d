import { EventSourceParserStream } from 'eventsource-parser/stream'
import { z } from 'zod/mini'
import {
  ChatEvent,
  RUN_ID_HEADER,
  RunId,
  TERMINAL_EVENT_TYPES,
  paths,
  type MessageAccepted,
  type SendMessageRequest,
} from '../../../shared/api/index.ts'
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
  /** The run's events already open (`sendMessage`'s answer): read first, before any request. */
  opened?: Response | undefined
}

/** A sent message's run, and its events from the first one when the worker streamed them. */
export interface SentMessage extends MessageAccepted {
  events?: Response
}

/**
 * Sends a chat message asking for the reply in the same answer (`Accept: text/event-stream`), so
 * its first words need no second request; a worker that answers 202 with the run id alone (one
 * from before this) is read as well, and the run is then followed with `streamRun`.
 */
export async function sendMessage(
  opts: WorkerClientOptions,
  sessionId: string,
  body: SendMessageRequest,
): Promise<SentMessage> {
  const base = await resolveBaseUrl(opts)
  const res = await sendWithKey(opts, (key) => {
    const headers = new Headers({
      Accept: 'text/event-stream, application/json;q=0.9',
      'Content-Type': 'application/json',
    })
    if (key) headers.set('Authorization', `Bearer ${key}`)
    const init = { method: 'POST', headers, body: JSON.stringify(body) }
    return new Request(base + paths.messages(sessionId), init)
  })
  if (!res.ok) throw await errorFromResponse(res)
  const streamed = res.headers.get('Content-Type')?.startsWith('text/event-stream')
  const runId = z.safeParse(
    RunId,
    streamed
      ? res.headers.get(RUN_ID_HEADER)
      : ((await res.json().catch(() => undefined)) as Partial<MessageAccepted> | undefined)?.runId,
  )
  if (runId.success) return { runId: runId.data, sessionId, ...(streamed && { events: res }) }
  await res.body?.cancel().catch(() => {})
  throw new ApiRequestError(
    { code: 'upstream_unavailable', message: 'Malformed answer from POST messages.' },
    res.status,
  )
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
  { after = 0, onEvent, signal, opened }: StreamRunOptions,
  backoff: StreamBackoff = DEFAULT_STREAM_BACKOFF,
): Promise<number> {
  let lastSeq = after
  let failures = 0
  let first = opened
  for (;;) {
    const before = lastSeq
    try {
      signal?.throwIfAborted()
      const open = first ?? (await request(opts, sessionId, runId, lastSeq, signal))
      first = undefined
      const done = await readOnce(open, lastSeq, signal, (e) => {
        lastSeq = e.seq
        onEvent(e)
      })
      if (done) return lastSeq
    } catch (err) {
      if (signal?.aborted) {
        await first?.body?.cancel().catch(() => {})
        throw signal.reason
      }
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

/** Opens the run's events after `after` (`Last-Event-ID`). */
async function request(
  opts: WorkerClientOptions,
  sessionId: string,
  runId: string,
  after: number,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const base = await resolveBaseUrl(opts)
  return sendWithKey(opts, (key) => {
    const headers = new Headers({ Accept: 'text/event-stream' })
    if (key) headers.set('Authorization', `Bearer ${key}`)
    if (after > 0) headers.set('Last-Event-ID', String(after))
    return new Request(base + paths.runEvents(sessionId, runId), { headers, signal })
  })
}

/** One connection: true when a terminal event arrived, StreamEnded when it closed early. */
async function readOnce(
  res: Response,
  after: number,
  signal: AbortSignal | undefined,
  deliver: (e: RunStreamEvent) => void,
): Promise<boolean> {
  if (!res.ok) throw await errorFromResponse(res)
  if (!res.body) throw new StreamEnded()
  const events = res.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream({ maxBufferSize: 1 << 20 }))
  let seen = after
  // A reader loop, not `for await`: async iteration of streams needs Chrome 124.
  const reader = events.getReader()
  // A stream opened by another request (the message's answer) has no signal of its own.
  const stop = () => void reader.cancel().catch(() => {})
  signal?.addEventListener('abort', stop, { once: true })
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
    signal?.removeEventListener('abort', stop)
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
