import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { paths } from '../../shared/api/routes.ts'
import { SessionId } from '../../shared/api/sessions.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { COMMON_ERRORS, errorResponse, errorResponses } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { fetchMedia } from '../media/fetch-media.ts'
import { mediaLimits } from '../media/limits.ts'
import { mayFetch, namedUrls } from '../media/named-urls.ts'
import { withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../installations/upstream-for.ts'

const binary = { schema: z.string().openapi({ format: 'binary' }) }

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: paths.media('{sessionId}'),
    operationId: 'getMedia',
    summary: 'A picture, song or clip the project’s draft names, streamed for the preview',
    description:
      'Only to the session’s owner, and only http(s) URLs the draft names that go to a public ' +
      'host or the backend’s own origin (never an open proxy). Redirects are followed only to ' +
      'such hosts; only image, video and audio types; a size cap and a timeout.',
    request: {
      params: z.object({ sessionId: SessionId }),
      query: z.object({ url: z.string().min(1).max(4096) }),
    },
    responses: {
      200: {
        description: 'The media file',
        content: { 'image/*': binary, 'video/*': binary, 'audio/*': binary },
      },
      ...errorResponses(...COMMON_ERRORS, 404),
      403: errorResponse(
        403,
        'Not an extension origin (`origin_forbidden`), or a URL the draft does not name, to a ' +
          'host (or through a redirect) that is not allowed (`media_not_allowed`)',
      ),
      413: errorResponse(413, 'Over the media size cap (`media_too_large`, params.limitBytes)'),
      415: errorResponse(415, 'Not an image, video or audio type (`media_unsupported_type`)'),
      502: errorResponse(
        502,
        'The media host failed or answered an error (`media_fetch_failed`, params.httpStatus), ' +
          'or the backend failed reading the session',
      ),
      504: errorResponse(
        504,
        'The media host (`media_timeout`) or the backend did not answer in time',
      ),
    },
  }),
  async (c) => {
    const { sessionId } = c.req.valid('param')
    const { url } = c.req.valid('query')
    const installationId = c.var.installationId
    const upstream = createUpstream(c.env, installationId)
    // Another installation's session is `not_found` here, before any URL is looked at.
    const state = await withUpstreamSession(c.env, installationId, sessionId, (sid) =>
      upstream.state(sid),
    )
    const limits = mediaLimits(c.env)
    if (!mayFetch(url, namedUrls(state.draft), limits.backendOrigin))
      throw new WorkerError('media_not_allowed')
    return fetchMedia(url, limits)
  },
)

export default routes
