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

export const JobId = z
  .string()
  .check(z.regex(/^job_[A-Za-z0-9]{16,64}$/, 'a job id from POST /v1/sessions/{id}/exports'))

export const CreateExportRequest = z.object({
  preset: ExportPreset,
  /**
   * Chosen by the client once per click: a double click or a retry with the same key gets the same
   * job, which renders and charges once.
   */
  idempotencyKey: z.string().check(z.minLength(8), z.maxLength(80), z.regex(/^[A-Za-z0-9_-]+$/)),
})
export type CreateExportRequest = z.infer<typeof CreateExportRequest>

export const JobStatus = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled'])
export type JobStatus = z.infer<typeof JobStatus>

export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
])

export const ExportJob = z.object({
  jobId: JobId,
  sessionId: SessionId,
  preset: ExportPreset,
  width: z.number().check(z.int()),
  height: z.number().check(z.int()),
  status: JobStatus,
  /** 0-100 while the backend reports it. */
  progress: z.optional(z.number().check(z.gte(0), z.lte(100))),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.optional(z.iso.datetime()),
  /** Why the job failed: the backend's reason or the worker's hard stop. */
  error: z.optional(ApiError),
  /** Worker URL of the finished file (`/v1/exports/{id}/file`), once completed. */
  fileUrl: z.optional(z.string()),
  /** Suggested file name for the download. */
  fileName: z.optional(z.string()),
})
export type ExportJob = z.infer<typeof ExportJob>

export const ExportJobList = z.object({ jobs: z.array(ExportJob) })
export type ExportJobList = z.infer<typeof ExportJobList>

/** A short-lived signed link to the finished file, for the browser's downloads API. */
export const DownloadLink = z.object({ url: z.url(), expiresAt: z.iso.datetime() })
export type DownloadLink = z.infer<typeof DownloadLink>
