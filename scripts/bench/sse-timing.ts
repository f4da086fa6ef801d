/**
 * Reads an SSE response and timestamps every `data:` event as it arrives (performance.now()), so
 * the direct and relayed paths are timed by the same code.
 * @module
 */

export interface TimedEvent {
  /** performance.now() when the event's closing blank line arrived. */
  at: number
  data: Record<string, unknown>
}

/** Reads until the stream closes (or `stopWhen` says so); comments and empty data are skipped. */
export async function readTimedEvents(
  res: Response,
  stopWhen: (data: Record<string, unknown>) => boolean = () => false,
): Promise<TimedEvent[]> {
  if (!res.body) return []
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  const events: TimedEvent[] = []
  let buffer = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return events
      const at = performance.now()
      buffer += value.replace(/\r\n?/g, '\n')
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n')
        if (data === '') continue
        const parsed = JSON.parse(data) as Record<string, unknown>
        events.push({ at, data: parsed })
        if (stopWhen(parsed)) return events
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}
