import { TERMINAL_EVENT_TYPES, type ChatEvent } from '../../shared/api/chat-events.ts'

/** While a run is live, a comment this often shows both ends the connection is alive. */
export const PING_INTERVAL_MS = 15_000

/**
 * Fresh headers for the worker's own SSE answers. Nothing is copied from the backend:
 * `Content-Encoding: identity` keeps Cloudflare from compressing (and so buffering) the stream.
 */
export function sseHeaders(): Headers {
  return new Headers({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'Content-Encoding': 'identity',
    'X-Accel-Buffering': 'no',
  })
}

/**
 * A run's event as stored and sent: its number, its type and its JSON, serialised once when it is
 * appended (the same text goes to SQLite and to every reader, never parsed again on the way).
 */
export interface StoredEvent {
  seq: number
  type: ChatEvent['type']
  data: string
}

export function storedEvent(seq: number, event: ChatEvent): StoredEvent {
  // JSON.stringify escapes CR and LF inside strings, so the data is always a single line.
  return { seq, type: event.type, data: JSON.stringify(event) }
}

/** One event as an SSE frame: `event: <type>`, `id: <seq>`, one `data:` line of JSON. */
export function sseFrame(item: StoredEvent): string {
  return `event: ${item.type}\nid: ${item.seq}\ndata: ${item.data}\n\n`
}

export const SSE_PING = ': ping\n\n'

/** The sequence number to resume after: `Last-Event-ID` wins over `?after=`; garbage means 0. */
export function resumeAfter(
  lastEventId: string | null | undefined,
  after: string | null | undefined,
): number {
  for (const value of [lastEventId, after]) {
    if (value === null || value === undefined || value.trim() === '') continue
    const n = Number(value.trim())
    return Number.isSafeInteger(n) && n >= 0 ? n : 0
  }
  return 0
}

/** A listener of a run's new events; returns nothing, must not throw. */
export type RunListener = (item: StoredEvent) => void

/**
 * The SSE body of one run for one reader: the stored events after the resume point, then the live
 * tail, closed after the run's terminal event. `attach` must read the backlog and register the
 * listener in one synchronous step (the DO's SQL is synchronous), so no event falls between them.
 * A reader going away (cancel, or an enqueue that fails) removes its listener and ping timer.
 */
export function runEventStream(
  attach: (listener: RunListener) => {
    backlog: StoredEvent[]
    live: boolean
    detach: () => void
  },
  pingMs = PING_INTERVAL_MS,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cleanup = () => {}
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let lastSeq = 0
      let closed = false
      let ping: ReturnType<typeof setInterval> | undefined
      let detach = () => {}
      cleanup = () => {
        if (closed) return
        closed = true
        clearInterval(ping)
        detach()
      }
      const write = (text: string) => {
        if (closed) return
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          cleanup()
        }
      }
      const deliver = (item: StoredEvent) => {
        if (closed || item.seq <= lastSeq) return
        lastSeq = item.seq
        write(sseFrame(item))
        if (TERMINAL_EVENT_TYPES.has(item.type)) {
          cleanup()
          try {
            controller.close()
          } catch {
            // The reader is already gone.
          }
        }
      }
      const attached = attach(deliver)
      detach = attached.detach
      for (const item of attached.backlog) deliver(item)
      if (closed) return
      if (!attached.live) {
        // The run ended without a terminal event after the resume point: nothing more will come.
        cleanup()
        controller.close()
        return
      }
      ping = setInterval(() => write(SSE_PING), pingMs)
    },
    cancel() {
      cleanup()
    },
  })
}
