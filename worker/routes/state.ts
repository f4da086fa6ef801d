import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { SessionId } from '../../shared/api/sessions.ts'
import { paths } from '../../shared/api/routes.ts'
import { ProjectState } from '../../shared/api/state.ts'
import { isExportable, normalizeDraft } from '../draft/normalize.ts'
import { summarizeTimeline } from '../draft/summary.ts'
import type { AppEnv } from '../env.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { resolveSession, withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../installations/upstream-for.ts'

const RENEWED = {
  en: 'NemoVideo no longer had this project, so a new session was started. ',
  zh: 'NemoVideo 已找不到这个项目，已开始新的会话。',
} as const

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: paths.state('{sessionId}'),
    operationId: 'getState',
    summary:
      'The project as it is now: readable timeline, one-line summary, whether it can be exported',
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
    const { upstreamSessionId: before } = await resolveSession(c.env, installationId, sessionId)
    let read = before
    const state = await withUpstreamSession(c.env, installationId, sessionId, (sid) => {
      read = sid
      return upstream.state(sid)
    })
    // Renewed on the way (the backend lost the session, or no longer knows this identity): the
    // empty timeline is a new session, not the user's project gone quiet.
    const renewed = read !== before
    const timeline = normalizeDraft(state.draft)
    const summary = summarizeTimeline(timeline, lang)
    const project: ProjectState = {
      timeline,
      summary: renewed ? `${RENEWED[lang]}${summary}` : summary,
      exportable: isExportable(timeline),
      ...(state.canvas && { canvas: state.canvas }),
      ...(renewed && { notice: 'session_renewed' as const }),
    }
    return c.json(project, 200)
  },
)

export default routes
