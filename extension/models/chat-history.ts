import { z } from 'zod/mini'
import { ApiError, Credits, SuggestedAction, Timeline } from '../../shared/api/index.ts'

/** One reply of the assistant, built from a run's events and persisted as they arrive. */
export const ReplyEntry = z.object({
  kind: z.literal('reply'),
  id: z.string(),
  runId: z.string(),
  /** Sequence number of the last event folded in: a re-attach resumes right after it. */
  lastSeq: z.number().check(z.int(), z.nonnegative()),
  /** `stopped`: the user stopped waiting; the run may still finish on the backend. */
  status: z.enum(['streaming', 'done', 'error', 'stopped']),
  text: z.string(),
  /** The backend called a tool: shown as a neutral "Editing your video…". */
  editing: z._default(z.boolean(), false),
  /** The last `still_working` event's silence, while no text came after it. */
  stillWorking: z._default(z.boolean(), false),
  startedAt: z.number(),
  summary: z.optional(z.object({ summary: z.string(), timeline: Timeline })),
  notices: z._default(z.array(z.enum(['session_renewed', 'token_renewed'])), []),
  error: z.optional(ApiError),
  actions: z._default(z.array(SuggestedAction), []),
})
export type ReplyEntry = z.infer<typeof ReplyEntry>

/** A line of the chat: the user's message, a reply, or what a directly routed intent answered. */
export const ChatEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: z.string(), text: z.string(), at: z.number() }),
  ReplyEntry,
  z.object({ kind: z.literal('credits'), id: z.string(), credits: Credits, at: z.number() }),
  z.object({ kind: z.literal('state'), id: z.string(), summary: z.string(), at: z.number() }),
  z.object({
    kind: z.literal('exporting'),
    id: z.string(),
    presets: z.array(z.string()),
    at: z.number(),
  }),
  /** A message that never became a run (refused, unreachable); `retryText` re-sends it. */
  z.object({
    kind: z.literal('error'),
    id: z.string(),
    error: ApiError,
    retryText: z.optional(z.string()),
    /** Reused by a retry: if the worker did get the message, it answers with the same run. */
    clientMessageId: z.optional(z.string()),
    at: z.number(),
  }),
])
export type ChatEntry = z.infer<typeof ChatEntry>

/**
 * A project's chat as kept in extension storage (`chatItem(sessionId)` in utils/storage.ts).
 * `pending` is written before `POST messages`, so a popup closed before the answer re-sends with
 * the same clientMessageId and gets the same run.
 */
export const ChatHistory = z.object({
  messages: z.array(ChatEntry),
  pending: z.optional(z.object({ clientMessageId: z.string(), text: z.string() })),
})
export type ChatHistory = z.infer<typeof ChatHistory>

/** Where a project's chat lives; the app wires it to extension storage. */
export interface ChatHistoryStore {
  load(sessionId: string): Promise<ChatHistory | undefined>
  save(sessionId: string, history: ChatHistory): Promise<void>
  /** Changes written by another extension page (popup and side panel open together). */
  watch?(sessionId: string, cb: (history: ChatHistory) => void): () => void
}
