import { z } from 'zod'
import { MediaKind } from '../media.ts'

/** Image or media URLs for the backend to fetch itself; only http(s) to public hosts pass. */
export const UrlUploadRequest = z.object({
  urls: z
    .array(
      z
        .url({ protocol: /^https?$/, error: 'an http or https URL' })
        .max(4096),
    )
    .min(1)
    .max(50),
})
export type UrlUploadRequest = z.infer<typeof UrlUploadRequest>

export const UploadedFile = z.object({
  filename: z.string(),
  kind: MediaKind.optional(),
  url: z.string().optional(),
  durationSec: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
})
export type UploadedFile = z.infer<typeof UploadedFile>

export const UploadResult = z.object({
  files: z.array(UploadedFile),
  /** The backend put the media into the draft. */
  applied: z.boolean(),
})
export type UploadResult = z.infer<typeof UploadResult>

// Large uploads: a file over the worker's request-body limit (up to the backend's 500 MB) goes in
// parts into R2, then the worker streams it on to the backend in one request of known length.

/** R2's smallest part: every part but the last must be at least this and all of them equal. */
export const R2_MIN_PART_BYTES = 5 * 1024 * 1024
/** R2 allows at most this many parts in one multipart upload. */
export const R2_MAX_PARTS = 10_000
/** Default largest part (UPLOAD_PART_MAX_BYTES): well under the 100 MB body limit of Free/Pro zones. */
export const DEFAULT_PART_MAX_BYTES = 32 * 1024 * 1024

export const LargeUploadId = z.string().regex(/^lu_[0-9a-f]{32}$/, 'an upload id from POST …/uploads/large')
export type LargeUploadId = z.infer<typeof LargeUploadId>

/** 1-based, as R2 counts parts. */
export const PartNumber = z.coerce.number().int().min(1).max(R2_MAX_PARTS)

export const CreateLargeUploadRequest = z.object({
  filename: z.string().min(1).max(255),
  /** Bytes of the whole file; over the backend's 500 MB is refused (`file_too_large`). */
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** The file's MIME type; decides the format when the name has no known extension. */
  contentType: z.string().max(200).default(''),
  /** Preferred part size (smaller parts lose less to a failed request); clamped by the worker. */
  partSize: z.number().int().min(R2_MIN_PART_BYTES).optional(),
})
export type CreateLargeUploadRequest = z.input<typeof CreateLargeUploadRequest>

export const LargeUploadCreated = z.object({
  uploadId: LargeUploadId,
  /** Every part but the last is exactly this many bytes. */
  partSize: z.number().int(),
  partCount: z.number().int(),
  /** Parts not completed by then are dropped. */
  expiresAt: z.iso.datetime(),
})
export type LargeUploadCreated = z.infer<typeof LargeUploadCreated>

/** The answer to one part: R2 has it. */
export const LargeUploadPartReceived = z.object({ partNumber: z.number().int(), size: z.number().int() })
export type LargeUploadPartReceived = z.infer<typeof LargeUploadPartReceived>

export const LargeUploadState = z.enum(['open', 'completing', 'completed'])
export type LargeUploadState = z.infer<typeof LargeUploadState>

/** Where an upload stands: a client resumes by sending `missingParts` again, then completing. */
export const LargeUploadStatus = z.object({
  uploadId: LargeUploadId,
  filename: z.string(),
  size: z.number().int(),
  partSize: z.number().int(),
  partCount: z.number().int(),
  state: LargeUploadState,
  receivedParts: z.array(z.number().int()),
  missingParts: z.array(z.number().int()),
  expiresAt: z.iso.datetime(),
  /** Once completed: what the backend made of the file (the same answer as the completion's). */
  result: UploadResult.optional(),
})
export type LargeUploadStatus = z.infer<typeof LargeUploadStatus>

/** How many parts of `partSize` a file of `size` bytes takes. */
export function partCountOf(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize))
}

/** The exact length of part `n` (1-based): `partSize`, except the last, which takes the rest. */
export function partLengthOf(size: number, partSize: number, n: number): number {
  const count = partCountOf(size, partSize)
  if (n < 1 || n > count) return 0
  return n < count ? partSize : size - partSize * (count - 1)
}
