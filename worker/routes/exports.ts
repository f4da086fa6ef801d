import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import {
  CreateExportRequest,
  DownloadLink,
  ExportJob,
  ExportJobList,
  JobId,
} from '../../shared/api/exports.ts'
import { paths } from '../../shared/api/routes.ts'
import { SessionId } from '../../shared/api/sessions.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import {
  DOWNLOAD_LINK_TTL_SECONDS,
  signDownload,
  verifyDownload,
} from '../exports/download-link.ts'
import { createExport } from '../exports/create-export.ts'
import { fileResponse } from '../exports/file-response.ts'
import { jobStub } from '../exports/job-stub.ts'
import { toExportJob } from '../exports/job-view.ts'
import { InstallationId, keeperOf, readRecord } from '../installations/record.ts'
import { COMMON_ERRORS, errorResponse, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'

/** Newest jobs listed; older ones have usually been deleted after their retention anyway. */
const MAX_LISTED_JOBS = 50

const jobParam = z.object({ jobId: JobId })
/** What every route of a job can answer besides the common errors. */
const jobErrors = errorResponses(...COMMON_ERRORS, 404)
const notFinished = errorResponse(
  409,
  'The job is not completed (`job_not_finished`) or was cancelled (`job_cancelled`)',
)

/** Reads the job through its own object; another installation's job is `not_found`. */
async function ownedJob(env: AppEnv['Bindings'], installationId: string, jobId: string) {
  const job = await jobStub(env, jobId).snapshot(installationId)
  if (!job) throw new WorkerError('not_found')
  return job
}

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'post',
      path: paths.createExport('{sessionId}'),
      operationId: 'createExport',
      summary: 'Start an export (idempotent per idempotencyKey)',
      request: {
        params: z.object({ sessionId: SessionId }),
        body: { required: true, content: { 'application/json': { schema: CreateExportRequest } } },
      },
      responses: {
        202: jsonContent(ExportJob, 'The job, new or the one this key already started'),
        ...errorResponses(...COMMON_ERRORS, 404),
        403: errorResponse(
          403,
          'The backend does not let this token render (`plan_required`): register, upgrade or set an API token',
        ),
        409: errorResponse(409, 'The draft has nothing to render yet (`not_exportable`)'),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid('param')
      const job = await createExport(c.env, c.var.installationId, sessionId, c.req.valid('json'))
      return c.json(toExportJob(job), 202)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.exports,
      operationId: 'listExports',
      summary: 'The installation’s export jobs, newest first (no backend call)',
      responses: {
        200: jsonContent(ExportJobList, 'Jobs still kept'),
        ...errorResponses(...COMMON_ERRORS),
      },
    }),
    async (c) => {
      const installationId = c.var.installationId
      const ids = (await keeperOf(c.env, installationId).listJobIds()).slice(0, MAX_LISTED_JOBS)
      const found = await Promise.all(ids.map((id) => jobStub(c.env, id).snapshot(installationId)))
      const jobs = found
        .filter((job) => job !== null)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(toExportJob)
      return c.json({ jobs }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.exportJob('{jobId}'),
      operationId: 'getExport',
      summary: 'A job’s status, from storage (no backend call)',
      request: { params: jobParam },
      responses: { 200: jsonContent(ExportJob, 'The job'), ...jobErrors },
    }),
    async (c) => {
      const job = await ownedJob(c.env, c.var.installationId, c.req.valid('param').jobId)
      return c.json(toExportJob(job), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: paths.cancelExport('{jobId}'),
      operationId: 'cancelExport',
      summary: 'Cancel a job; a finished job is left as it is',
      request: { params: jobParam },
      responses: { 200: jsonContent(ExportJob, 'The job after cancelling'), ...jobErrors },
    }),
    async (c) => {
      const job = await jobStub(c.env, c.req.valid('param').jobId).cancel(c.var.installationId)
      if (!job) throw new WorkerError('not_found')
      return c.json(toExportJob(job), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: paths.downloadLink('{jobId}'),
      operationId: 'downloadLink',
      summary:
        'A signed link to the finished file, valid 5 minutes, for the browser’s downloads API',
      request: { params: jobParam },
      responses: {
        200: jsonContent(DownloadLink, 'The link'),
        ...jobErrors,
        409: notFinished,
      },
    }),
    async (c) => {
      const installationId = c.var.installationId
      const job = await ownedJob(c.env, installationId, c.req.valid('param').jobId)
      if (job.status === 'cancelled') throw new WorkerError('job_cancelled')
      if (job.status !== 'completed') throw new WorkerError('job_not_finished')
      const record = await readRecord(c.env, installationId)
      if (!record) throw new WorkerError('unauthorized')
      const exp = Math.floor(Date.now() / 1000) + DOWNLOAD_LINK_TTL_SECONDS
      const signed = await signDownload(record.secretHash, job.jobId, installationId, exp)
      const url = new URL(paths.exportFile(job.jobId), c.req.url)
      url.search = new URLSearchParams({
        inst: signed.inst,
        exp: String(signed.exp),
        sig: signed.sig,
      }).toString()
      return c.json({ url: url.toString(), expiresAt: new Date(exp * 1000).toISOString() }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.exportFile('{jobId}'),
      operationId: 'getExportFile',
      summary: 'The finished MP4, with the Authorization header or a signed link’s query',
      request: {
        params: jobParam,
        query: z.object({
          inst: z.string().max(80).optional(),
          exp: z.coerce.number().int().optional(),
          sig: z.string().max(128).optional(),
        }),
      },
      responses: {
        200: {
          description: 'The file',
          content: { 'video/mp4': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...jobErrors,
        409: notFinished,
        502: errorResponse(
          502,
          'The render failed (`render_failed`) or the backend could not send the file',
        ),
      },
    }),
    async (c) => {
      const { jobId } = c.req.valid('param')
      const installationId = await fileRequester(
        c.env,
        jobId,
        c.req.valid('query'),
        c.var.installationId,
      )
      const job = await ownedJob(c.env, installationId, jobId)
      return fileResponse(c.env, job, c.req.raw.signal)
    },
  )

/**
 * Whose file request this is: the installation the auth middleware recognised, or the one a valid,
 * unexpired signature names. A bad signature is `not_found`, like a job that is not there.
 */
async function fileRequester(
  env: AppEnv['Bindings'],
  jobId: string,
  query: { inst?: string | undefined; exp?: number | undefined; sig?: string | undefined },
  authenticated: string | undefined,
): Promise<string> {
  if (authenticated) return authenticated
  if (query.sig === undefined) throw new WorkerError('unauthorized')
  const inst = InstallationId.safeParse(query.inst)
  if (!inst.success || query.exp === undefined) throw new WorkerError('not_found')
  const record = await readRecord(env, inst.data)
  const link = { inst: inst.data, exp: query.exp, sig: query.sig }
  if (!record || !(await verifyDownload(record.secretHash, jobId, link)))
    throw new WorkerError('not_found')
  return inst.data
}

export default routes
