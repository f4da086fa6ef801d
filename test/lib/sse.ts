/**
 * The one SSE reader of the tests and scripts: the simulator's and the worker's streams alike, in
 * Node and in workerd. Frames are timestamped as they arrive, so the benchmarks time the direct
 * and the relayed paths with the same code the tests read them with.
 * @module
 */
import { createParser } from 'eventsource-parser'

export interface SseFrame {
  /** `event:` (undefined for a plain message). */
  event: string | undefined
  /** `id:` (undefined when absent). */
  id: string | undefined
  data: string
  /** performance.now() when the chunk that completed the frame arrived. */
  at: number
}

export interface SseRead {
  frames: SseFrame[]
  /** `: ping` and other comment lines, without the colon. */
  comments: string[]
  /** The raw chunks as they came off the wire. */
  chunks: Uint8Array[]
  /** True when the stream ended by itself; false when `stopWhen` ended the read. */
  closed: boolean
}

/**
 * Reads an SSE body until it closes or `stopWhen` says enough; then the reader is cancelled, as a
 * closing popup would cancel it.
 * @example const { frames } = await readSse(await fetch(eventsUrl), (f) => f.length === 3)
 */
export async function readSse(
  res: Response,
  stopWhen: (frames: readonly SseFrame[]) => boolean = () => false,
): Promise<SseRead> {
  const read: SseRead = { frames: [], comments: [], chunks: [], closed: true }
  if (!res.body) return read
  let at = 0
  const parser = createParser({
    onEvent: (m) => read.frames.push({ event: m.event, id: m.id, data: m.data, at }),
    onComment: (c) => read.comments.push(c),
  })
  const decoder = new TextDecoder()
  const reader = res.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return read
      at = performance.now()
      read.chunks.push(value)
      parser.feed(decoder.decode(value, { stream: true }))
      if (stopWhen(read.frames)) {
        read.closed = false
        return read
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

/** The JSON payloads of the frames (frames whose data is not JSON are left out). */
export function jsonData<T = Record<string, unknown>>(frames: readonly SseFrame[]): T[] {
  return frames.flatMap((f) => {
    try {
      return [JSON.parse(f.data) as T]
    } catch {
      return []
    }
  })
}

/** A JSON payload with the time its frame arrived. */
export interface TimedEvent {
  at: number
  data: Record<string, unknown>
}

/**
 * Reads the JSON payloads of an SSE body with their arrival times, until it closes or `stopWhen`
 * says the last one was enough (what the benchmarks time).
 */
export async function readTimedEvents(
  res: Response,
  stopWhen: (data: Record<string, unknown>) => boolean = () => false,
): Promise<TimedEvent[]> {
  const timed = (frames: readonly SseFrame[]) =>
    frames.flatMap((f) => jsonData([f]).map((data) => ({ at: f.at, data })))
  const { frames } = await readSse(res, (all) => {
    const last = all.at(-1)
    return last !== undefined && jsonData([last]).some(stopWhen)
  })
  return timed(frames)
}
