import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { paths } from '../../shared/api/routes.ts'
import { SessionId } from '../../shared/api/sessions.ts'
import {
  CreateLargeUploadRequest,
  LargeUploadCreated,
  LargeUploadId,
  LargeUploadPartReceived,
  LargeUploadStatus,
  PartNumber,
  UploadResult,
  partCountOf,
} from '../../shared/api/uploads.ts'
import { BACKEND_MAX_FILE_BYTES, MIME_TO_FORMAT, mediaFormatOf } from '../../shared/media.ts'
import { getConfig } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { resolveSession } from '../sessions/access.ts'
import { choosePartSize } from '../uploads/part-size.ts'
import { watchIdle } from '../http/idle-timeout.ts'
import { streamPartToR2 } from '../uploads/part-upload.ts'
import { closeLargeUploadSlot, openLargeUploadSlot } from '../uploads/slots.ts'
import { unwrap } from '../result.ts'
import { LARGE_UPLOAD_TTL_MS, newUploadId, uploadKey, uploadStub } from '../uploads/upload-stub.ts'

const sessionParams = z.object({ sessionId: SessionId })
const uploadParams = z.object({ sessionId: SessionId, uploadId: LargeUploadId })
const partParams = uploadParams.extend({ n: PartNumber })

/**
 * Large uploads (worker/uploads/README.md): a file over the worker's request limit, up to the
 * backend's 500 MB, goes in parts into an R2 multipart upload, then on to the backend in one
 * request of exact length. Every upload belongs to its installation and session: anyone else gets
 * `not_found`, as for an id that does not exist.
 */
const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'post',
      path: paths.largeUploads('{sessionId}'),
      operationId: 'createLargeUpload',
      summary: 'Start a large upload in parts (format and the 500 MB limit are checked here)',
      request: {
        params: sessionParams,
        body: {
          required: true,
          content: { 'application/json': { schema: CreateLargeUploadRequest } },
        },
      },
      responses: {
        201: jsonContent(
          LargeUploadCreated,
          'The part plan: send parts 1..partCount, each exactly partSize but the last',
        ),
        ...errorResponses(...COMMON_ERRORS, 404, 413, 415),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid('param')
      const request = c.req.valid('json')
      const { filename, size, contentType } = request
      if (
        !mediaFormatOf(filename) &&
        !MIME_TO_FORMAT[contentType.split(';')[0]?.trim().toLowerCase() ?? '']
      ) {
        throw new WorkerError('unsupported_format', { params: { filename } })
      }
      if (size > BACKEND_MAX_FILE_BYTES)
        throw new WorkerError('file_too_large', { params: { limitBytes: BACKEND_MAX_FILE_BYTES } })
      const installationId = c.var.installationId
      await resolveSession(c.env, installationId, sessionId)
      const partSize = choosePartSize(size, request.partSize, getConfig(c.env).uploadPartMaxBytes)
      const uploadId = newUploadId()
      const createdAt = Date.now()
      const expiresAt = createdAt + LARGE_UPLOAD_TTL_MS
      const partCount = partCountOf(size, partSize)
      // At most LARGE_UPLOADS_OPEN_MAX open per installation: each may hold 500 MB in R2 for 24 h.
      await openLargeUploadSlot(c.env, installationId, uploadId)
      await uploadStub(c.env, uploadId).create({
        uploadId,
        installationId,
        sessionId,
        filename,
        contentType,
        size,
        partSize,
        partCount,
        r2Key: uploadKey(uploadId),
        createdAt,
        expiresAt,
      })
      return c.json(
        { uploadId, partSize, partCount, expiresAt: new Date(expiresAt).toISOString() },
        201,
      )
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.largeUpload('{sessionId}', '{uploadId}'),
      operationId: 'getLargeUpload',
      summary: 'Which parts are in: a client resumes by sending the missing ones',
      request: { params: uploadParams },
      responses: {
        200: jsonContent(LargeUploadStatus, 'The upload'),
        ...errorResponses(...COMMON_ERRORS, 404),
      },
    }),
    async (c) => {
      const { sessionId, uploadId } = c.req.valid('param')
      const status = await uploadStub(c.env, uploadId).status({
        installationId: c.var.installationId,
        sessionId,
      })
      if (!status) throw new WorkerError('not_found')
      return c.json(status, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: paths.completeLargeUpload('{sessionId}', '{uploadId}'),
      operationId: 'completeLargeUpload',
      summary:
        'Assemble the parts and stream the file to NemoVideo (idempotent; one run at a time)',
      request: { params: uploadParams },
      responses: {
        200: jsonContent(UploadResult, 'What the backend made of the file'),
        ...errorResponses(...COMMON_ERRORS, 404, 413, 415),
      },
    }),
    async (c) => {
      const { sessionId, uploadId } = c.req.valid('param')
      const result = unwrap(
        await uploadStub(c.env, uploadId).complete({
          installationId: c.var.installationId,
          sessionId,
        }),
      )
      await closeLargeUploadSlot(c.env, c.var.installationId, uploadId)
      return c.json(result, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: paths.largeUpload('{sessionId}', '{uploadId}'),
      operationId: 'abortLargeUpload',
      summary: 'Abort: drop the parts and forget the upload',
      request: { params: uploadParams },
      responses: { 204: { description: 'Aborted' }, ...errorResponses(...COMMON_ERRORS, 404) },
    }),
    async (c) => {
      const { sessionId, uploadId } = c.req.valid('param')
      const aborted = await uploadStub(c.env, uploadId).abort({
        installationId: c.var.installationId,
        sessionId,
      })
      if (!aborted) throw new WorkerError('not_found')
      await closeLargeUploadSlot(c.env, c.var.installationId, uploadId)
      return c.body(null, 204)
    },
  )

// Documented only: a body validator would read (buffer) the part.
routes.openAPIRegistry.registerPath({
  method: 'put',
  path: paths.largeUploadPart('{sessionId}', '{uploadId}', '{n}'),
  operationId: 'putLargeUploadPart',
  summary:
    'One part’s raw bytes, streamed into R2 (exact Content-Length required; send a failed part again)',
  request: {
    params: partParams,
    body: {
      required: true,
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
  responses: {
    200: jsonContent(LargeUploadPartReceived, 'R2 has the part'),
    ...errorResponses(...COMMON_ERRORS, 404, 411, 413),
  },
})

routes.put(paths.largeUploadPart(':sessionId', ':uploadId', ':n'), async (c) => {
  const params = partParams.safeParse(c.req.param())
  if (!params.success) throw new WorkerError('not_found')
  const { sessionId, uploadId, n } = params.data
  const declared = c.req.header('Content-Length')
  if (declared === undefined) throw new WorkerError('length_required')
  if (!/^\d{1,16}$/.test(declared)) {
    throw new WorkerError('invalid_request', {
      issues: [{ path: 'header.content-length', message: 'not a byte count' }],
    })
  }
  const length = Number(declared)
  const limitBytes = getConfig(c.env).uploadPartMaxBytes
  if (length > limitBytes) throw new WorkerError('upload_too_large', { params: { limitBytes } })
  const owner = { installationId: c.var.installationId, sessionId }
  const stub = uploadStub(c.env, uploadId)
  // Checked before a byte is read: another installation's upload, or a part of the wrong size.
  const target = unwrap(await stub.partTarget(owner, n, length))
  // A sender that goes quiet mid-part is cut off after STREAM_IDLE_TIMEOUT_MS, not 15 minutes.
  const raw = c.req.raw.body
  const watched = raw && watchIdle(raw, getConfig(c.env).streamIdleTimeoutMs)
  let etag: string
  try {
    etag = await streamPartToR2(c.env.MEDIA, target, n, watched ? watched.body : null)
  } catch (err) {
    if (watched?.stalled()) throw new WorkerError('upload_stalled')
    throw err
  }
  unwrap(await stub.recordPart(owner, { partNumber: n, etag, size: length }))
  return c.json({ partNumber: n, size: length }, 200)
})

export default routes
