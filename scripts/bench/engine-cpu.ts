/**
 * The worker's own JavaScript per chat turn, without the runtime around it: the bytes of real
 * `/run_sse` turns (taken from a simulator with the chat benchmark's config, chunk by chunk as
 * they came) are replayed through the worker's chat engine in this process, with what the session
 * object does per event: the engine reads the stream, interprets each event, translates GUI
 * wording, holds and lets out text; each emitted event is serialised once (as stored) and framed
 * and encoded for the SSE reader. What is not here: the HTTP, the Durable Object calls, SQLite and
 * the streams between isolates, which are the runtime's I/O (and the local dev server's emulators,
 * see chat-relay.ts). V8 is the same engine as workerd's, so this is close to the part of
 * Cloudflare's CPU time the code decides. Figure: CPU time (process.cpuUsage) per turn and per
 * upstream event over REPLAYS replays, after a warm-up.
 * @module
 */
import { runChatTurn } from '../../worker/chat/run-engine.ts'
import { sseFrame, storedEvent } from '../../worker/chat/sse.ts'
import { guiWording } from '../../worker/chat/gui-wording.ts'
import { normalizeDraft, summarizeTimeline } from '../../worker/draft/index.ts'
import { toApiError } from '../../shared/errors/table.ts'
import type { Figure } from './figures.ts'
import { round } from './stats.ts'

const REPLAYS = 400
const WARM_UP = 50
const RECORDED_TURNS = 8

/** Upstream turns as the worker receives them: the chunks of each `/run_sse` body, in order. */
export async function recordTurns(startTurn: () => Promise<Response>): Promise<Uint8Array[][]> {
  const turns: Uint8Array[][] = []
  for (let i = 0; i < RECORDED_TURNS; i++) {
    const res = await startTurn()
    if (!res.ok || !res.body) throw new Error(`run_sse: ${res.status}`)
    const chunks: Uint8Array[] = []
    for await (const chunk of res.body) chunks.push(chunk)
    turns.push(chunks)
  }
  return turns
}

function replay(chunks: Uint8Array[]): Response {
  let i = 0
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!)
        else controller.close()
      },
    }),
  )
}

async function oneTurn(chunks: Uint8Array[], encoder: TextEncoder): Promise<number> {
  let seq = 0
  let bytes = 0
  await runChatTurn({
    openStream: async () => replay(chunks),
    readDraft: async () => ({ tracks: [] }),
    peekDraft: async () => ({ tracks: [] }),
    emit: (event) => {
      bytes += encoder.encode(sseFrame(storedEvent(++seq, event))).byteLength
    },
    describeError: async () => toApiError('internal'),
    wording: guiWording,
    summarize: (draft) => {
      const timeline = normalizeDraft(draft)
      return { timeline, summary: summarizeTimeline(timeline, 'en') }
    },
    timings: {
      stillWorkingMs: 60_000,
      silenceTimeoutMs: 600_000,
      maxRunMs: 900_000,
      dropChecksMs: [0],
      textFlushMs: 150,
    },
  })
  return bytes
}

/** Counts the upstream events of a recorded turn (its `data:` lines). */
function eventsIn(chunks: Uint8Array[]): number {
  const text = new TextDecoder().decode(Buffer.concat(chunks))
  return text.split(/\r\n|\r|\n/).filter((line) => line.startsWith('data:')).length
}

export async function benchEngineCpu(turns: Uint8Array[][]): Promise<Figure[]> {
  const encoder = new TextEncoder()
  for (let i = 0; i < WARM_UP; i++) await oneTurn(turns[i % turns.length]!, encoder)
  let events = 0
  const before = process.cpuUsage()
  for (let i = 0; i < REPLAYS; i++) {
    const chunks = turns[i % turns.length]!
    await oneTurn(chunks, encoder)
    events += eventsIn(chunks)
  }
  const used = process.cpuUsage(before)
  // The event count is taken inside the timed loop; take it out again.
  const countBefore = process.cpuUsage()
  for (let i = 0; i < REPLAYS; i++) eventsIn(turns[i % turns.length]!)
  const counting = process.cpuUsage(countBefore)
  const ms = (used.user + used.system - counting.user - counting.system) / 1000
  const perTurn = ms / REPLAYS
  const perEvent = ms / events
  const detail =
    `${REPLAYS} replays of ${turns.length} recorded turns (${round(events / REPLAYS)} upstream events each) ` +
    `through the worker's chat engine in Node (same V8): interpret, wording, text, serialise, frame, encode; ` +
    `no HTTP, Durable Object, SQLite or stream I/O`
  return [
    {
      name: 'chat: worker JS per relayed turn (engine, no I/O)',
      value: round(perTurn),
      unit: 'ms',
      target: '≤ 5 ms',
      met: perTurn <= 5,
      detail,
    },
    {
      name: 'chat: worker JS per relayed event (engine, no I/O)',
      value: round(perEvent),
      unit: 'ms',
      target: '≤ 0.3 ms',
      met: perEvent <= 0.3,
      detail,
    },
  ]
}
