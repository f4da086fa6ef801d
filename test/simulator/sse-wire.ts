import type { SimulatorConfig } from './config.ts'
import type { Prng } from './prng.ts'
import { sleep } from './respond.ts'
import type { WireItem } from './turn.ts'

export interface WireOptions {
  rng: Prng
  sse: SimulatorConfig['sse']
  /** Close mid-event once this many data events went out whole. */
  dropAfterEvents?: number
  /** Error the stream (connection reset) instead of closing it cleanly when dropping. */
  dropWithError?: boolean
  /** Insert one broken-JSON data event after the first event. */
  malformedEvent?: boolean
  firstByteDelayMs?: number
  /** Called once: `'end'` after the last byte, `'dropped'` or `'cancelled'` otherwise. */
  onFinish: (how: 'end' | 'dropped' | 'cancelled') => void
}

const encoder = new TextEncoder()

function serialise(item: WireItem, eol: string, rng: Prng): string {
  switch (item.kind) {
    case 'event':
      return `data:${rng.chance(0.8) ? ' ' : ''}${JSON.stringify(item.data)}${eol}${eol}`
    case 'raw':
      return `${item.line}${eol}${eol}`
    case 'empty':
      return `data:${eol}${eol}`
    case 'comment':
      return `: ${item.text}${eol}${eol}`
  }
}

/** Cut points of one event's bytes; inside a multi-byte UTF-8 character when there is one. */
function cuts(bytes: Uint8Array, rng: Prng): number[] {
  if (bytes.length < 4) return []
  const inside: number[] = []
  for (let i = 1; i < bytes.length; i++) if (((bytes[i] as number) & 0xc0) === 0x80) inside.push(i)
  const first =
    inside.length > 0 && rng.chance(0.75) ? rng.pick(inside) : rng.int(1, bytes.length - 1)
  const points = [first]
  if (rng.chance(0.3)) points.push(rng.int(1, bytes.length - 1))
  return [...new Set(points)].sort((a, b) => a - b)
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

function split(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const out: Uint8Array[] = []
  let from = 0
  for (const p of points) {
    out.push(bytes.subarray(from, p))
    from = p
  }
  out.push(bytes.subarray(from))
  return out
}

/**
 * Turns wire items into the byte stream of `/run_sse`, nasty as configured: CRLF or LF per event,
 * events split across chunks (inside UTF-8 characters too) or sharing one, an optional broken
 * event, an abrupt close mid-event. No done event: the stream just ends.
 */
export function sseStream(
  items: AsyncGenerator<WireItem>,
  opts: WireOptions,
): ReadableStream<Uint8Array> {
  const { rng, sse } = opts
  let sent = 0
  let started = false
  let finished = false
  let carry: Uint8Array = new Uint8Array(0)
  const finish = (how: 'end' | 'dropped' | 'cancelled') => {
    if (finished) return
    finished = true
    opts.onFinish(how)
  }
  const eol = () =>
    sse.lineEndings === 'crlf' || (sse.lineEndings === 'mixed' && rng.chance(0.5)) ? '\r\n' : '\n'

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true
          if (opts.firstByteDelayMs) await sleep(opts.firstByteDelayMs)
        }
        // Loops until it enqueued something: a pull that enqueues nothing is not called again.
        for (;;) {
          const next = await items.next()
          if (next.done) {
            if (carry.length > 0) controller.enqueue(carry)
            controller.close()
            finish('end')
            return
          }
          const item = next.value
          const isEvent = item.kind === 'event' || item.kind === 'raw'
          const bytes = concat(carry, encoder.encode(serialise(item, eol(), rng)))
          carry = new Uint8Array(0)
          if (isEvent && opts.dropAfterEvents !== undefined && sent >= opts.dropAfterEvents) {
            controller.enqueue(
              bytes.subarray(0, bytes.length - Math.max(1, Math.floor(bytes.length / 4))),
            )
            if (opts.dropWithError) controller.error(new Error('connection reset by simulator'))
            else controller.close()
            finish('dropped')
            await items.return(undefined)
            return
          }
          if (isEvent) sent += 1
          if (opts.malformedEvent && sent === 1 && item.kind === 'event') {
            controller.enqueue(bytes)
            controller.enqueue(
              encoder.encode(`data: {"type":"text","content":"unterminated${eol()}${eol()}`),
            )
            sent += 1
            return
          }
          // Some events share a chunk with the next one, as a proxy's buffering would do.
          if (isEvent && sse.splitChunks && rng.chance(0.15)) {
            carry = bytes
            continue
          }
          const pieces =
            sse.splitChunks && rng.chance(0.45) ? split(bytes, cuts(bytes, rng)) : [bytes]
          for (const piece of pieces) controller.enqueue(piece)
          return
        }
      },
      async cancel() {
        finish('cancelled')
        await items.return(undefined)
      },
    },
    { highWaterMark: 0 },
  )
}
