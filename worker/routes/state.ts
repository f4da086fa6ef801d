import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { SessionId } from '../../shared/api/sessions.ts'
import { paths } from '../../shared/api/routes.ts'
import { ProjectState } from '../../shared/api/state.ts'
import { isExportable, normalizeDraft } from '../draft/normalize.ts'
import { summarizeTimeline } from '../draft/summary.ts'
import type { AppEnv } from '../env.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../upstream/client.ts'

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: paths.state('{sessionId}'),
    operationId: 'getState',
    summary: 'The project as it is now: readable timeline, one-line summary, whether it can be exported',
    request: {
      params: z.object({ sessionId: SessionId }),
      query: z.object({ lang: z.enum(['en', 'zh']).default('en') }),
    },
    responses: {
      200: jsonContent(ProjectState, 'The project'),
      ...errorResponses(...COMMON_ERRORS, 404),
    },
  }),
  async (c) => {
    const { sessionId } = c.req.valid('param')
    const { lang } = c.req.valid('query')
    const installationId = c.var.installationId
    const upstream = createUpstream(c.env, installationId)
    const state = await withUpstreamSession(c.env, installationId, sessionId, (sid) => upstream.state(sid))
    const timeline = normalizeDraft(state.draft)
    const project: ProjectState = {
      timeline,
      summary: summarizeTimeline(timeline, lang),
      exportable: isExportable(timeline),
      ...(state.canvas && { canvas: state.canvas }),
    }
    return c.json(project, 200)
  },
)

export default routes
