import { z } from '@hono/zod-openapi'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'

/** The error envelope once, as `#/components/schemas/ErrorEnvelope`, referenced by every answer. */
const ErrorEnvelopeRef = z.object(ErrorEnvelope.shape).openapi('ErrorEnvelope')

/** An OpenAPI response with a JSON body. */
export function jsonContent<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (`invalid_request` with field issues) or refused input',
  401: 'Missing or bad installation key (`unauthorized`)',
  403: 'Not an extension origin (`origin_forbidden`); registration: the code or human check is missing (`registration_code_required`, `human_check_failed`)',
  404: 'Unknown, or another installation’s, resource (`not_found`)',
  408: 'The upload sent nothing for STREAM_IDLE_TIMEOUT_MS (`upload_stalled`)',
  411: 'Content-Length missing (`length_required`)',
  413: 'Over the upload limit (`upload_too_large`), or a JSON body over 64 KiB (`body_too_large`)',
  422: 'A URL that is not http(s) to a public host (`url_not_allowed`)',
  429: 'Rate limited (`rate_limited`, `too_many_uploads`); see Retry-After',
  502: 'The backend failed',
  504: 'The backend did not answer in time',
}

/** One error response (the shared envelope); `description` says which codes a route answers. */
export function errorResponse(status: number, description = DESCRIPTIONS[status] ?? 'Error') {
  return jsonContent(ErrorEnvelopeRef, description)
}

/** Error responses (the shared envelope) for the given statuses. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(s)])) as Record<
    number,
    ReturnType<typeof errorResponse>
  >
}

/** The statuses every authenticated route can answer. */
export const COMMON_ERRORS = [400, 401, 403, 429, 502, 504]
