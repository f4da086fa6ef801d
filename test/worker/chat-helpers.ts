import { readSse, type SseFrame } from '../lib/sse.ts'
import { ChatEvent, MessageAccepted, SessionInfo } from '../../shared/api/index.ts'
import { paths } from '../../shared/api/routes.ts'
import { api, json, register, sim } from './helpers.ts'

/** One SSE frame as the client sees it. */
export interface Frame {
  event: string | undefined
  id: number
  data: ChatEvent
}

/** A registered installation with plenty of backend credits and a new chat session. */
export async function chatSession(
  language = 'en',
): Promise<{ key: string; installationId: string; sessionId: string }> {
  const { key, installationId } = await register(language)
  sim.control.setCredits('all', 100_000)
  const res = await api(paths.sessions, json('POST', { language }), key)
  if (res.status !== 201)
    throw new Error(`session creation answered ${res.status}: ${await res.text()}`)
  const { sessionId } = SessionInfo.parse(await res.json())
  return { key, installationId, sessionId }
}

/**
 * A chat session whose next turn has text and runs slowly (timeScale 0.01), so a test can catch it
 * mid-reply; `before` is the simulator log's length before the turn.
 */
export async function slowTurnSession() {
  const session = await chatSession()
  sim.control.configure({ timeScale: 0.01 })
  sim.control.nextTurn({ noText: false, trailingIssue: false })
  return { ...session, before: sim.log.length }
}

let messageCounter = 0
/** A fresh clientMessageId. */
export function messageId(): string {
  messageCounter += 1
  return `msg_${Date.now().toString(36)}_${messageCounter}`
}

/** POSTs a message; answers the raw response (its events themselves with `accept` SSE). */
export function postMessage(
  key: string,
  sessionId: string,
  text: string,
  clientMessageId = messageId(),
  accept = 'application/json',
): Promise<Response> {
  const init = json('POST', { text, clientMessageId }, { Accept: accept })
  return api(paths.messages(sessionId), init, key)
}

/** POSTs a message and answers its run id (throws unless 202). */
export async function send(key: string, sessionId: string, text: string): Promise<string> {
  const res = await postMessage(key, sessionId, text)
  if (res.status !== 202) throw new Error(`message answered ${res.status}: ${await res.text()}`)
  return MessageAccepted.parse(await res.json()).runId
}

/** Opens a run's event stream. */
export function openEvents(
  key: string,
  sessionId: string,
  runId: string,
  lastEventId?: number,
): Promise<Response> {
  const headers: Record<string, string> = {}
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId)
  return api(paths.runEvents(sessionId, runId), { headers }, key)
}

/**
 * Reads an SSE body into frames, until it closes or `stopWhen` says enough (then the reader is
 * cancelled, as a closing popup would).
 */
export async function readFrames(
  res: Response,
  stopWhen: (frames: Frame[]) => boolean = () => false,
): Promise<{ frames: Frame[]; closed: boolean }> {
  const frames: Frame[] = []
  const read = await readSse(res, (raw) => {
    for (const f of raw.slice(frames.length)) frames.push(toFrame(f))
    return stopWhen(frames)
  })
  for (const f of read.frames.slice(frames.length)) frames.push(toFrame(f))
  return { frames, closed: read.closed }
}

const toFrame = (f: SseFrame): Frame => ({
  event: f.event,
  id: Number(f.id),
  data: ChatEvent.parse(JSON.parse(f.data)),
})

/** Sends a message and reads its whole stream. */
export async function runTurn(key: string, sessionId: string, text: string) {
  const runId = await send(key, sessionId, text)
  const res = await openEvents(key, sessionId, runId)
  const { frames } = await readFrames(res)
  return { runId, res, frames, events: frames.map((f) => f.data) }
}

/** The reply's text as the client would show it. */
export function replyText(events: ChatEvent[]): string {
  return events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')
}
