import { z } from 'zod'

/**
 * Every stable machine code the worker can answer with. The table in `./table.ts` gives each its
 * HTTP status, its user message in English and Chinese and the action the user can take.
 */
export const ErrorCode = z.enum([
  // From the backend (contract page, "Error codes")
  'token_expired', // 1001 that survived one re-auth
  'session_lost', // 1002 (the worker opens a new session and says so)
  'no_credits', // 2001
  'unsupported_format', // 4001
  'file_too_large', // 4002
  'missing_client_id', // 400 from the backend
  'plan_required', // 402: export blocked on the free plan, NOT a credits problem
  'upstream_rate_limited', // 429 that survived one retry
  'registration_capped', // 429 on anonymous-token: per client id / per IP cap
  'upstream_unavailable', // 5xx, network errors, malformed answers
  'upstream_timeout', // no answer in time
  'stream_dropped', // the chat stream ended abnormally
  'render_failed', // the backend reported a failed render, or the job hit its hard stop
  'export_file_missing', // the render finished, but neither its URL nor the token download gives the file
  'claim_unavailable', // the backend has no project to hand over (404 on the claim call)
  // The worker's own
  'invalid_request', // a body, query or parameter that fails its schema
  'unauthorized', // no or bad installation credentials
  'not_found', // unknown, or another installation's, resource
  'run_in_progress', // a chat turn is still running for this session
  'not_exportable', // the draft has no segment yet
  'upload_too_large', // over the worker's own request-body limit
  'length_required', // an upload without Content-Length
  'url_not_allowed', // an image URL that is not http(s) to a public host
  'invalid_api_token', // a user's own NemoVideo token the backend refused
  'rate_limited', // the worker's own per-installation / per-address limit
  'body_too_large', // a request body over the route's limit (JSON routes: 64 KiB)
  'registration_code_required', // a private deployment: registration needs its invite code
  'human_check_failed', // the optional Turnstile check at registration did not pass
  'upload_stalled', // a streamed body sent nothing for the idle timeout
  'too_many_uploads', // the installation's cap on concurrent or open large uploads
  'origin_forbidden', // a web origin, not the extension
  'job_cancelled', // a cancelled export's file was asked for
  'job_not_finished', // the file of an export that is not completed yet
  // The preview's media route (GET /v1/sessions/{id}/media)
  'media_not_allowed', // a URL the draft does not name, or a host (or redirect) that is not allowed
  'media_too_large', // the media file is over the route's size cap (params.limitBytes)
  'media_unsupported_type', // the host answered with a type that is not image, video or audio
  'media_fetch_failed', // the media host failed or answered an error (params.httpStatus if any)
  'media_timeout', // the media host did not answer in time
  'internal', // anything unexpected; details are logged, never returned
])
export type ErrorCode = z.infer<typeof ErrorCode>

/** What the user can do about an error; the UI turns each kind into a button or a hint. */
export const ErrorAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('register'), url: z.url() }),
  z.object({ kind: z.literal('upgrade'), url: z.url() }),
  z.object({ kind: z.literal('top_up'), url: z.url() }),
  z.object({ kind: z.literal('set_api_token') }),
  z.object({ kind: z.literal('formats'), formats: z.array(z.string()) }),
  z.object({ kind: z.literal('compress') }),
  z.object({
    kind: z.literal('retry'),
    afterMs: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
  z.object({ kind: z.literal('new_session') }),
  z.object({ kind: z.literal('reinstall') }),
])
export type ErrorAction = z.infer<typeof ErrorAction>

/** The one error envelope of every non-2xx JSON answer and of every `error` stream event. */
export const ApiError = z.object({
  code: ErrorCode,
  /** English message for logs and API users; the extension renders its own from the table. */
  message: z.string(),
  action: z.optional(ErrorAction),
  /** Values the message was built from (limit in bytes, retry delay...). Never a secret. */
  params: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  /** Field-level problems of an `invalid_request`. */
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
})
export type ApiError = z.infer<typeof ApiError>

export const ErrorEnvelope = z.object({ error: ApiError })
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>
