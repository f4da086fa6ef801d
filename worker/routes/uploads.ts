import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { paths } from '../../shared/api/routes.ts'
import { SessionId } from '../../shared/api/sessions.ts'
import { UploadResult, UrlUploadRequest } from '../../shared/api/uploads.ts'
import { MIME_TO_FORMAT, mediaFormatOf } from '../../shared/media.ts'
import { getConfig } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { boundaryOf, peekFirstPart } from '../http/multipart-peek.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { watchIdle } from '../http/idle-timeout.ts'
import { canonicalPublicUrl } from '../http/public-url.ts'
import { validationHook } from '../http/validation.ts'
import { withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import { toUploadResult } from '../upstream/upload-result.ts'
import { withUploadSlot } from '../uploads/slots.ts'
import largeUploads from './uploads-large.ts'

const params = z.object({ sessionId: SessionId })

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

// Documented only: a zod-openapi multipart validator would parse (buffer) the whole body.
routes.openAPIRegistry.registerPath({
  method: 'post',
  path: paths.uploads('{sessionId}'),
  operationId: 'uploadFiles',
  summary: 'Upload media files, streamed to NemoVideo unchanged (Content-Length required)',
  request: {
    params,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ files: z.array(z.string().openapi({ format: 'binary' })) }),
        },
      },
    },
  },
  responses: {
    200: jsonContent(UploadResult, 'What the backend made of the files'),
    ...errorResponses(...COMMON_ERRORS, 404, 408, 411, 413),
  },
})

routes.post(paths.uploads(':sessionId'), async (c) => {
  const sessionId = SessionId.safeParse(c.req.param('sessionId'))
  if (!sessionId.success) throw new WorkerError('not_found')
  const limitBytes = getConfig(c.env).uploadMaxBytes
  const declared = c.req.header('Content-Length')
  if (declared === undefined) throw new WorkerError('length_required')
  if (!/^\d{1,16}$/.test(declared)) {
    throw new WorkerError('invalid_request', {
      issues: [{ path: 'header.content-length', message: 'not a byte count' }],
    })
  }
  const length = Number(declared)
  // Decided before a byte goes upstream: the edge would cut a larger body anyway.
  if (length > limitBytes) throw new WorkerError('upload_too_large', { params: { limitBytes } })
  const contentType = c.req.header('Content-Type') ?? ''
  const boundary = boundaryOf(contentType)
  const raw = c.req.raw.body
  if (!boundary || !raw || length === 0) {
    throw new WorkerError('invalid_request', {
      issues: [
        { path: 'header.content-type', message: 'multipart/form-data with a boundary and a body' },
      ],
    })
  }
  const installationId = c.var.installationId
  const upstream = createUpstream(c.env, installationId)
  // A sender that goes quiet is cut off after STREAM_IDLE_TIMEOUT_MS instead of holding a backend
  // connection for the whole upload timeout.
  const watched = watchIdle(raw, getConfig(c.env).streamIdleTimeoutMs)
  // Resolve the session before reading the body: another installation's session reads nothing.
  let sent = false
  const send = () =>
    withUpstreamSession(c.env, installationId, sessionId.data, async (sid) => {
      // A body is sent once: after a lost session (1002) was renewed, the user sends it again.
      if (sent) throw new WorkerError('session_lost', { action: { kind: 'retry' } })
      sent = true
      const peeked = await peekFirstPart(watched.body, boundary, length)
      const { filename, contentType: partType } = peeked.first
      if (!(filename && mediaFormatOf(filename)) && !(partType && MIME_TO_FORMAT[partType])) {
        await peeked.body.cancel().catch(() => undefined)
        throw new WorkerError('unsupported_format', { ...(filename && { params: { filename } }) })
      }
      return upstream.uploadMultipart(sid, peeked.body, contentType, length)
    })
  let result
  try {
    // At most UPLOADS_CONCURRENT_MAX of one installation's uploads stream at once.
    result = await withUploadSlot(c.env, installationId, send)
  } catch (err) {
    if (watched.stalled()) throw new WorkerError('upload_stalled')
    throw err
  }
  return c.json(toUploadResult(result), 200)
})

routes.openapi(
  createRoute({
    method: 'post',
    path: paths.uploadUrls('{sessionId}'),
    operationId: 'uploadUrls',
    summary: 'Have NemoVideo fetch media from public http(s) URLs',
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: UrlUploadRequest } } },
    },
    responses: {
      200: jsonContent(UploadResult, 'What the backend made of the URLs'),
      ...errorResponses(...COMMON_ERRORS, 404, 422),
    },
  }),
  async (c) => {
    const { sessionId } = c.req.valid('param')
    // Checked and forwarded in one form: the canonical one (public-url.ts), never the raw string.
    const canonical = c.req.valid('json').urls.map(canonicalPublicUrl)
    const refused = canonical.findIndex((u) => u === undefined)
    if (refused >= 0) throw new WorkerError('url_not_allowed', { params: { index: refused } })
    const urls = canonical as string[]
    const installationId = c.var.installationId
    const upstream = createUpstream(c.env, installationId)
    const result = await withUpstreamSession(c.env, installationId, sessionId, (sid) =>
      upstream.uploadUrls(sid, urls),
    )
    return c.json(toUploadResult(result), 200)
  },
)

// Files over the worker's body limit, in parts through R2 (worker/uploads/README.md).
routes.route('/', largeUploads)

export default routes
