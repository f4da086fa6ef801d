import { createParser } from 'eventsource-parser'

/** A single SSE line or event larger than this is not a chat event: the stream is treated as broken. */
const MAX_EVENT_CHARS = 1024 * 1024

/**
 * How an upstream stream ended. The backend sends no done event: `closed` is a close at an event
 * boundary, the turn's natural end; `truncated` is a close in the middle of an event, which only a
 * broken connection produces. A read error rejects instead.
 */
export type StreamEnd = 'closed' | 'truncated'

/**
 * Reads the backend's `/run_sse` body and hands every event's `data` to `onData`, in order.
 * Decodes with a streaming TextDecoder so a UTF-8 character split across chunks survives; CRLF,
 * comments and a BOM are the parser's business. Stops early (resolving `closed`) when `signal`
 * aborts; the caller knows why it aborted.
 */
export async function readUpstreamEvents(
  body: ReadableStream<Uint8Array>,
  onData: (data: string) => void,
  signal: AbortSignal,
): Promise<StreamEnd> {
  const decoder = new TextDecoder()
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (event) => onData(event.data),
  })
  const reader = body.getReader()
  const stop = () => void reader.cancel().catch(() => {})
  signal.addEventListener('abort', stop, { once: true })
  // The last few characters seen: the stream ended cleanly only if they close an event.
  let tail = ''
  try {
    for (;;) {
      if (signal.aborted) return 'closed'
      const { done, value } = await reader.read()
      if (done) break
      const text = decoder.decode(value, { stream: true })
      if (text === '') continue
      tail = (tail + text).slice(-4)
      parser.feed(text)
    }
    const rest = decoder.decode()
    if (rest !== '') {
      tail = (tail + rest).slice(-4)
      parser.feed(rest)
    }
    parser.reset({ consume: true })
    if (signal.aborted) return 'closed'
    return tail === '' || endsAnEvent(tail) ? 'closed' : 'truncated'
  } finally {
    signal.removeEventListener('abort', stop)
    reader.releaseLock()
  }
}

/** True when the text ends with a blank line: two line terminators (LF, CR or CRLF, one each). */
export function endsAnEvent(tail: string): boolean {
  const withoutLast = tail.endsWith('\r\n')
    ? tail.slice(0, -2)
    : /[\r\n]$/.test(tail)
      ? tail.slice(0, -1)
      : undefined
  return withoutLast !== undefined && /[\r\n]$/.test(withoutLast)
}
