import { z } from 'zod'
import { ApiError } from '../errors/codes.ts'
import { Timeline } from '../draft/timeline.ts'

/** A user action the reply's GUI wording pointed at ("click Export" -> export). */
export const SuggestedAction = z.enum(['export', 'state', 'upload', 'credits', 'preview'])
export type SuggestedAction = z.infer<typeof SuggestedAction>

/**
 * The worker's own chat stream events. Sent as SSE with `event: <type>`, `id: <seq>` and the JSON
 * below as `data`; `seq` numbers every event of a session, so `Last-Event-ID` resumes exactly.
 * Tool calls and results never appear: at most a neutral `activity`.
 */
export const ChatEvent = z.discriminatedUnion('type', [
  /** A piece of the reply's text, GUI wording already translated. */
  z.object({ type: z.literal('text'), delta: z.string() }),
  /** The backend is editing (it called a tool); nothing more is said about it. */
  z.object({ type: z.literal('activity'), kind: z.literal('editing') }),
  /** Nothing but heartbeats for a while: still working. */
  z.object({
    type: z.literal('still_working'),
    silentForMs: z.number().check(z.int(), z.nonnegative()),
  }),
  /** The session was lost upstream (1002) or the token renewed; the worker recovered. */
  z.object({ type: z.literal('notice'), code: z.enum(['session_renewed', 'token_renewed']) }),
  /** The reply had no text: what the draft looks like now. */
  z.object({ type: z.literal('summary'), summary: z.string(), timeline: Timeline }),
  /** The turn finished; `actions` are what its wording asked the user to do. */
  z.object({ type: z.literal('done'), actions: z._default(z.array(SuggestedAction), []) }),
  /** The turn failed; the chat can go on with a new message. */
  z.object({ type: z.literal('error'), error: ApiError }),
])
export type ChatEvent = z.infer<typeof ChatEvent>
export type ChatEventType = ChatEvent['type']

/** A stored event with its sequence number, as the SSE `id` carries it. */
export const SequencedChatEvent = z.object({
  seq: z.number().check(z.int(), z.positive()),
  runId: z.string(),
  event: ChatEvent,
})
export type SequencedChatEvent = z.infer<typeof SequencedChatEvent>

/** Events after which a run's stream closes. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<ChatEventType> = new Set(['done', 'error'])
