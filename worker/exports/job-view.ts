import type { ExportJob } from '../../shared/api/exports.ts'
import { paths } from '../../shared/api/routes.ts'
import { toApiError } from '../../shared/errors/table.ts'
import type { JobSnapshot } from './job-record.ts'

const iso = (ms: number) => new Date(ms).toISOString()

/** The API's view of a stored job; the backend's render id and file URL stay inside the worker. */
export function toExportJob(job: JobSnapshot): ExportJob {
  return {
    jobId: job.jobId,
    sessionId: job.sessionId,
    preset: job.preset,
    width: job.width,
    height: job.height,
    status: job.status,
    ...(job.progress !== null && { progress: job.progress }),
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    ...(job.completedAt !== null && { completedAt: iso(job.completedAt) }),
    ...(job.errorCode !== null && {
      error: toApiError(job.errorCode, job.errorParams ? { params: job.errorParams } : {}),
    }),
    ...(job.status === 'completed' && { fileUrl: paths.exportFile(job.jobId) }),
    ...(job.fileName !== null && { fileName: job.fileName }),
  }
}
