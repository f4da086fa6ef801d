import type { ChatEvent } from '../../shared/api/chat-events.ts'
import type { Timeline } from '../../shared/draft/timeline.ts'
import type { ApiError } from '../../shared/errors/codes.ts'
import { WorkerError } from '../errors.ts'
import { interpretUpstreamData, TextDeltas } from './interpret.ts'
import { ReplyText, type GuiWording } from './reply-text.ts'
import { SilenceWatch, sleep } from './silence.ts'
import { readUpstreamEvents, type StreamEnd } from './upstream-stream.ts'

/** How long a chat turn may take and when the user hears about silence. */
export interface ChatTimings {
  /** `still_working` after this much silence (heartbeats are silence), and again after as much. */
  stillWorkingMs: number
  /** Nothing but heartbeats this long is a timeout (contract: 10 minutes). */
  silenceTimeoutMs: number
  /** A turn's hard cap (contract: 15 minutes). */
  maxRunMs: number
  /**
   * After a dropped stream: the waits before each read of the state. The contract's "wait 30 s,
   * then every 60 s, 5 unchanged reads"; CHAT_DROP_CHECKS_MS ("30000,60000,...") in wrangler.toml,
   * so tests run the path in milliseconds.
   */
  dropChecksMs: number[]
  /** Held text goes out at the latest this long after it arrived (reply-text.ts, TEXT_FLUSH_MS). */
  textFlushMs?: number
}

/** Everything a turn needs from outside, so the engine runs (and is tested) without a DO. */
export interface ChatTurnDeps {
  /** Sends the prompt (once); resolves with the backend's event stream. */
  openStream(signal: AbortSignal): Promise<Response>
  /** The session's current raw draft. */
  readDraft(): Promise<unknown>
  /**
   * The same, read beside the prompt: it must not renew a lost backend session (the prompt does
   * that, once), so it fails instead.
   */
  peekDraft(): Promise<unknown>
  /** Appends a clean event to the run (stored, numbered, pushed to listeners). */
  emit(event: ChatEvent): void
  describeError(err: unknown): Promise<ApiError>
  wording: GuiWording
  summarize(draft: unknown): { summary: string; timeline: Timeline }
  timings: ChatTimings
}

/**
 * Runs one chat turn to its end and emits exactly one terminal event (`done` or `error`):
 * - text deltas (GUI wording translated sentence by sentence), one `activity` per tool call,
 *   `still_working` after each interval of silence; tool calls and results never leave;
 * - natural end (the stream closes at an event boundary): a reply without text gets a `summary`
 *   of the draft; then `done` with the actions the wording named;
 * - dropped stream (read error, or a close mid-event): the backend goes on working, so the state
 *   is read on the contract's schedule; a changed draft is reported as a `summary` and `done`,
 *   an unchanged one as `error: stream_dropped`;
 * - 15 minutes in all, or 10 minutes of heartbeats only: `error: upstream_timeout`.
 */
export async function runChatTurn(outside: ChatTurnDeps): Promise<void> {
  let ended = false
  const deps: ChatTurnDeps = {
    ...outside,
    // Whatever races (a timer against a read), the run ends once.
    emit: (event) => {
      if (ended) return
      if (event.type === 'done' || event.type === 'error') ended = true
      outside.emit(event)
    },
  }
  const { timings } = deps
  const stop = new AbortController()
  let timedOut = false
  const timeout = () => {
    timedOut = true
    stop.abort()
  }
  const hardCap = setTimeout(timeout, timings.maxRunMs)
  const silence = new SilenceWatch({
    intervalMs: timings.stillWorkingMs,
    timeoutMs: timings.silenceTimeoutMs,
    onStillWorking: (silentForMs) => deps.emit({ type: 'still_working', silentForMs }),
    onTimeout: timeout,
  })
  const reply = new ReplyText(
    deps.wording,
    (delta) => deps.emit({ type: 'text', delta }),
    timings.textFlushMs,
  )
  const before = draftBefore(deps)
  try {
    let response: Response
    try {
      response = await deps.openStream(stop.signal)
    } catch (err) {
      if (timedOut) return deps.emit(await timeoutError(deps, reply))
      return deps.emit({ type: 'error', error: await deps.describeError(err) })
    }
    const end = await readReply(deps, response, reply, silence, stop.signal)
    if (timedOut) return deps.emit(await timeoutError(deps, reply))
    if (end === 'closed') return await finishReply(deps, reply)
    await recoverDroppedStream(deps, reply, await before, stop.signal)
    if (timedOut) return deps.emit(await timeoutError(deps, reply))
  } catch (err) {
    deps.emit({ type: 'error', error: await deps.describeError(err) })
  } finally {
    clearTimeout(hardCap)
    silence.stop()
    stop.abort()
  }
}

/** Feeds the stream's text into the reply; each tool call becomes one neutral `activity`. */
async function readReply(
  deps: ChatTurnDeps,
  response: Response,
  reply: ReplyText,
  silence: SilenceWatch,
  signal: AbortSignal,
): Promise<StreamEnd | 'failed'> {
  if (response.body === null) return 'closed'
  const deltas = new TextDeltas()
  const onData = (data: string) => {
    const items = interpretUpstreamData(data)
    // A heartbeat, an empty keep-alive or an unknown event: whatever text is held goes out now.
    if (!items.some((item) => item.kind === 'text')) reply.flush()
    for (const item of items) {
      if (item.kind === 'text') {
        const delta = deltas.next(item)
        if (delta === '') continue
        silence.activity()
        reply.push(delta)
      } else {
        silence.activity()
        if (item.kind === 'tool_call') {
          reply.noteActivity()
          deps.emit({ type: 'activity', kind: 'editing' })
        } else {
          reply.messageBoundary()
        }
      }
    }
  }
  try {
    return await readUpstreamEvents(response.body, onData, signal)
  } catch {
    return 'failed'
  }
}

async function finishReply(deps: ChatTurnDeps, reply: ReplyText): Promise<void> {
  reply.finish()
  if (!reply.hadText) {
    const draft = await deps.readDraft().catch(() => undefined)
    if (draft !== undefined) deps.emit({ type: 'summary', ...deps.summarize(draft) })
  }
  deps.emit({ type: 'done', actions: [...reply.actions] })
}

async function recoverDroppedStream(
  deps: ChatTurnDeps,
  reply: ReplyText,
  baseline: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  // Without a baseline a change cannot be seen: one look, then the failure.
  const checks =
    baseline === undefined ? deps.timings.dropChecksMs.slice(0, 1) : deps.timings.dropChecksMs
  for (const waitMs of checks) {
    await sleep(waitMs, signal)
    if (signal.aborted) return
    const draft = await deps.readDraft().catch(() => undefined)
    if (draft !== undefined && baseline !== undefined && JSON.stringify(draft) !== baseline) {
      reply.finish()
      deps.emit({ type: 'summary', ...deps.summarize(draft) })
      deps.emit({ type: 'done', actions: [...reply.actions] })
      return
    }
  }
  reply.finish()
  deps.emit({ type: 'error', error: await deps.describeError(new WorkerError('stream_dropped')) })
}

/**
 * The draft before the turn, to tell after a dropped stream whether the turn changed it. Read
 * beside the prompt, not before it: waiting for it put a whole backend round trip before every
 * reply's first words. A read that answers late can only look unchanged where the turn changed
 * the draft, which ends the turn as a failed one does without any reading (`stream_dropped`).
 */
function draftBefore(deps: ChatTurnDeps): Promise<string | undefined> {
  return deps.peekDraft().then(
    (draft) => JSON.stringify(draft),
    () => undefined,
  )
}

/** What was said stays said; then the timeout. */
async function timeoutError(deps: ChatTurnDeps, reply: ReplyText): Promise<ChatEvent> {
  reply.finish()
  return { type: 'error', error: await deps.describeError(new WorkerError('upstream_timeout')) }
}
