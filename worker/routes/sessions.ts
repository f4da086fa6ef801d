import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { paths, RUN_ID_HEADER } from '../../shared/api/routes.ts'
import {
  CreateSessionRequest,
  MessageAccepted,
  RunId,
  SendMessageRequest,
  SessionId,
  SessionInfo,
} from '../../shared/api/sessions.ts'
import { resumeAfter, sseHeaders } from '../chat/sse.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { createSession, sessionObject } from '../sessions/access.ts'
import { unwrap } from '../result.ts'

const sessionParam = z.object({ sessionId: SessionId })

/**
 * Chat sessions: create, look up, send a message (the turn runs in the session's Durable Object),
 * and follow a run's events as SSE, resumable with `Last-Event-ID`.
 */
const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'post',
      path: paths.sessions,
      operationId: 'createSession',
      summary: 'Open a chat session (and a NemoVideo session behind it)',
      request: { body: { content: { 'application/json': { schema: CreateSessionRequest } } } },
      responses: {
        201: jsonContent(SessionInfo, 'Created'),
        ...errorResponses(...COMMON_ERRORS, 402),
      },
    }),
    async (c) => {
      // The body is optional: no body means English.
      const { language } = CreateSessionRequest.parse(c.req.valid('json') ?? {})
      return c.json(await createSession(c.env, c.var.installationId, language), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.session('{sessionId}'),
      operationId: 'getSession',
      summary: 'A session and its newest run, so a reopened panel can re-attach',
      request: { params: sessionParam },
      responses: {
        200: jsonContent(SessionInfo, 'The session'),
        ...errorResponses(...COMMON_ERRORS, 404),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid('param')
      const info = await sessionObject(c.env, sessionId).describe(c.var.installationId)
      if (info === null) throw new WorkerError('not_found')
      return c.json(info, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: paths.messages('{sessionId}'),
      operationId: 'sendMessage',
      summary: 'Send a chat message; answers the run id at once, or the reply itself as SSE',
      description:
        'Idempotent on `clientMessageId`: a retry answers the same run and never sends the prompt twice. ' +
        '409 `run_in_progress` while another turn of the session runs. ' +
        'With `Accept: text/event-stream` the answer is the run’s events from its first one ' +
        '(200, frames as in streamRunEvents) and the run id is in the `X-Run-Id` header: the reply ' +
        'starts without a second request, and a dropped stream resumes with streamRunEvents.',
      request: {
        params: sessionParam,
        body: { content: { 'application/json': { schema: SendMessageRequest } }, required: true },
      },
      responses: {
        200: {
          description: 'Asked with Accept: text/event-stream: the run’s ChatEvent frames',
          headers: z.object({ [RUN_ID_HEADER]: RunId }),
          content: {
            'text/event-stream': { schema: z.string().openapi({ description: 'SSE frames' }) },
          },
        },
        202: jsonContent(MessageAccepted, 'Accepted; the turn runs on in the worker'),
        ...errorResponses(...COMMON_ERRORS, 404, 409),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid('param')
      const stream = c.req.header('Accept')?.includes('text/event-stream') ?? false
      const sent = await sessionObject(c.env, sessionId).sendMessage(
        c.var.installationId,
        c.req.valid('json'),
        { stream, installation: c.var.installation },
      )
      const { runId, events } = unwrap(sent)
      if (events === undefined) return c.json({ runId, sessionId }, 202)
      const headers = sseHeaders()
      headers.set(RUN_ID_HEADER, runId)
      return new Response(events, { status: 200, headers })
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.runEvents('{sessionId}', '{runId}'),
      operationId: 'streamRunEvents',
      summary: 'A run’s events as SSE: stored ones after Last-Event-ID (or ?after=), then live',
      description:
        'Frames are `event: <type>`, `id: <seq>`, `data: <ChatEvent JSON>`; `: ping` comments while live. ' +
        'The stream closes after the run’s `done` or `error` event.',
      request: {
        params: z.object({ sessionId: SessionId, runId: RunId }),
        query: z.object({
          after: z
            .string()
            .regex(/^\d{1,15}$/)
            .optional(),
        }),
        headers: z.object({ 'last-event-id': z.string().max(20).optional() }),
      },
      responses: {
        200: {
          description: 'ChatEvent frames',
          content: {
            'text/event-stream': { schema: z.string().openapi({ description: 'SSE frames' }) },
          },
        },
        ...errorResponses(...COMMON_ERRORS, 404),
      },
    }),
    async (c) => {
      const { sessionId, runId } = c.req.valid('param')
      const installationId = c.var.installationId
      const after = resumeAfter(c.req.header('Last-Event-ID'), c.req.valid('query').after)
      const stub = sessionObject(c.env, sessionId)
      const events = unwrap(await stub.runEvents(installationId, runId, after))
      // Fresh headers: nothing may compress (and so buffer) the stream.
      return new Response(events, { status: 200, headers: sseHeaders() })
    },
  )

export default routes
