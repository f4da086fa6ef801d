import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { ClaimLink, SessionId } from '../../shared/api/sessions.ts'
import { paths } from '../../shared/api/routes.ts'
import { getConfig } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { resolveSession, withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../installations/upstream-for.ts'

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'post',
    path: paths.claim('{sessionId}'),
    operationId: 'claim',
    summary:
      'A link that opens the project in NemoVideo’s editor (a claim token, never a real token)',
    request: { params: z.object({ sessionId: SessionId }) },
    responses: {
      200: jsonContent(ClaimLink, 'The link'),
      ...errorResponses(...COMMON_ERRORS, 404),
    },
  }),
  async (c) => {
    const { sessionId } = c.req.valid('param')
    const installationId = c.var.installationId
    const upstream = createUpstream(c.env, installationId)
    const { taskId, upstreamSessionId } = await resolveSession(c.env, installationId, sessionId)
    const claimed = await withUpstreamSession(c.env, installationId, sessionId, (sid) =>
      // The task id belongs to the session it came with; a renewed session is claimed by its id.
      upstream.claim({
        upstreamSessionId: sid,
        ...(sid === upstreamSessionId && taskId && { taskId }),
      }),
    )
    // Appended, not resolved: a web base with a path (a staging prefix) keeps it.
    const url = new URL(`${getConfig(c.env).nemoWebBaseUrl}/workspace/claim`)
    url.searchParams.set('ct', claimed.claimToken)
    return c.json(
      { url: url.toString(), ...(claimed.expiresAt && { expiresAt: claimed.expiresAt }) },
      200,
    )
  },
)

export default routes
