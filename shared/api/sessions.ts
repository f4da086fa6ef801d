import { z } from 'zod'
import { Language } from './installations.ts'

export const SessionId = z
  .string()
  .check(z.regex(/^ses_[A-Za-z0-9]{16,64}$/, 'a session id from POST /v1/sessions'))
export const RunId = z
  .string()
  .check(z.regex(/^run_[A-Za-z0-9]{16,64}$/, 'a run id from POST /v1/sessions/{id}/messages'))

export const CreateSessionRequest = z.object({ language: z._default(Language, 'en') })
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>

export const RunStatus = z.enum(['running', 'done', 'failed'])
export type RunStatus = z.infer<typeof RunStatus>

export const RunInfo = z.object({
  runId: RunId,
  status: RunStatus,
  /** Sequence number of the last event stored for the run. */
  lastEventId: z.number().check(z.int(), z.nonnegative()),
  startedAt: z.iso.datetime(),
})
export type RunInfo = z.infer<typeof RunInfo>

export const SessionInfo = z.object({
  sessionId: SessionId,
  language: Language,
  createdAt: z.iso.datetime(),
  /** The newest run, so a reopened popup can re-attach to it. */
  latestRun: z.optional(RunInfo),
})
export type SessionInfo = z.infer<typeof SessionInfo>

/** The longest message the chat takes, in characters. */
export const MESSAGE_MAX_LENGTH = 8000

export const SendMessageRequest = z.object({
  text: z.string().check(z.trim(), z.minLength(1), z.maxLength(MESSAGE_MAX_LENGTH)),
  /**
   * Chosen by the client once per message: a retry with the same id returns the same run and never
   * sends the prompt upstream twice.
   */
  clientMessageId: z.string().check(z.minLength(8), z.maxLength(80), z.regex(/^[A-Za-z0-9_-]+$/)),
})
export type SendMessageRequest = z.infer<typeof SendMessageRequest>

export const MessageAccepted = z.object({ runId: RunId, sessionId: SessionId })
export type MessageAccepted = z.infer<typeof MessageAccepted>

export const ClaimLink = z.object({
  /** `<web base>/workspace/claim?ct=<claim token>`: opens the project in NemoVideo's editor. */
  url: z.url(),
  expiresAt: z.optional(z.iso.datetime()),
})
export type ClaimLink = z.infer<typeof ClaimLink>
