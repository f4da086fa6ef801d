import { z } from 'zod'
import { Language } from './installations.ts'

export const SessionId = z.string().regex(/^ses_[A-Za-z0-9]{16,64}$/, 'a session id from POST /v1/sessions')
export const RunId = z.string().regex(/^run_[A-Za-z0-9]{16,64}$/, 'a run id from POST /v1/sessions/{id}/messages')

export const CreateSessionRequest = z.object({ language: Language.default('en') })
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>

export const RunStatus = z.enum(['running', 'done', 'failed'])
export type RunStatus = z.infer<typeof RunStatus>

export const RunInfo = z.object({
  runId: RunId,
  status: RunStatus,
  /** Sequence number of the last event stored for the run. */
  lastEventId: z.number().int().nonnegative(),
  startedAt: z.iso.datetime(),
})
export type RunInfo = z.infer<typeof RunInfo>

export const SessionInfo = z.object({
  sessionId: SessionId,
  language: Language,
  createdAt: z.iso.datetime(),
  /** The newest run, so a reopened popup can re-attach to it. */
  latestRun: RunInfo.optional(),
})
export type SessionInfo = z.infer<typeof SessionInfo>

export const SendMessageRequest = z.object({
  text: z.string().trim().min(1).max(8000),
  /**
   * Chosen by the client once per message: a retry with the same id returns the same run and never
   * sends the prompt upstream twice.
   */
  clientMessageId: z.string().min(8).max(80).regex(/^[A-Za-z0-9_-]+$/),
})
export type SendMessageRequest = z.infer<typeof SendMessageRequest>

export const MessageAccepted = z.object({ runId: RunId, sessionId: SessionId })
export type MessageAccepted = z.infer<typeof MessageAccepted>

export const ClaimLink = z.object({
  /** `<web base>/workspace/claim?ct=<claim token>`: opens the project in NemoVideo's editor. */
  url: z.url(),
  expiresAt: z.iso.datetime().optional(),
})
export type ClaimLink = z.infer<typeof ClaimLink>
