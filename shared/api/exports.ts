import { z } from 'zod'
import { ApiError } from '../errors/codes.ts'
import { SessionId } from './sessions.ts'

/** Output presets: 1080p H.264 MP4 in three frames. */
export const ExportPreset = z.enum(['16:9', '9:16', '1:1'])
export type ExportPreset = z.infer<typeof ExportPreset>

export const PRESET_SIZES: Readonly<Record<ExportPreset, { width: number; height: number }>> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
}

export const JobId = z.string().regex(/^job_[A-Za-z0-9]{16,64}$/, 'a job id from POST /v1/sessions/{id}/exports')

export const CreateExportRequest = z.object({
  preset: ExportPreset,
  /**
   * Chosen by the client once per click: a double click or a retry with the same key gets the same
   * job, which renders and charges once.
   */
  idempotencyKey: z.string().min(8).max(80).regex(/^[A-Za-z0-9_-]+$/),
})
export type CreateExportRequest = z.infer<typeof CreateExportRequest>

export const JobStatus = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled'])
export type JobStatus = z.infer<typeof JobStatus>

export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled'])

export const ExportJob = z.object({
  jobId: JobId,
  sessionId: SessionId,
  preset: ExportPreset,
  width: z.number().int(),
  height: z.number().int(),
  status: JobStatus,
  /** 0-100 while the backend reports it. */
  progress: z.number().min(0).max(100).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().optional(),
  /** Why the job failed: the backend's reason or the worker's hard stop. */
  error: ApiError.optional(),
  /** Worker URL of the finished file (`/v1/exports/{id}/file`), once completed. */
  fileUrl: z.string().optional(),
  /** Suggested file name for the download. */
  fileName: z.string().optional(),
})
export type ExportJob = z.infer<typeof ExportJob>

export const ExportJobList = z.object({ jobs: z.array(ExportJob) })
export type ExportJobList = z.infer<typeof ExportJobList>

/** A short-lived signed link to the finished file, for the browser's downloads API. */
export const DownloadLink = z.object({ url: z.url(), expiresAt: z.iso.datetime() })
export type DownloadLink = z.infer<typeof DownloadLink>
