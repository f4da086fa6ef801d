import { z } from 'zod'
import { MediaKind } from '../media.ts'

/** Image or media URLs for the backend to fetch itself; only http(s) to public hosts pass. */
export const UrlUploadRequest = z.object({
  urls: z
    .array(z.url({ protocol: /^https?$/, error: 'an http or https URL' }).check(z.maxLength(4096)))
    .check(z.minLength(1), z.maxLength(50)),
})
export type UrlUploadRequest = z.infer<typeof UrlUploadRequest>

export const UploadedFile = z.object({
  filename: z.string(),
  kind: z.optional(MediaKind),
  url: z.optional(z.string()),
  durationSec: z.optional(z.number()),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
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

export const LargeUploadId = z
  .string()
  .check(z.regex(/^lu_[0-9a-f]{32}$/, 'an upload id from POST …/uploads/large'))
export type LargeUploadId = z.infer<typeof LargeUploadId>

/** 1-based, as R2 counts parts. */
export const PartNumber = z.coerce.number().check(z.int(), z.gte(1), z.lte(R2_MAX_PARTS))

export const CreateLargeUploadRequest = z.object({
  filename: z.string().check(z.minLength(1), z.maxLength(255)),
  /** Bytes of the whole file; over the backend's 500 MB is refused (`file_too_large`). */
  size: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
  /** The file's MIME type; decides the format when the name has no known extension. */
  contentType: z._default(z.string().check(z.maxLength(200)), ''),
  /** Preferred part size (smaller parts lose less to a failed request); clamped by the worker. */
  partSize: z.optional(z.number().check(z.int(), z.gte(R2_MIN_PART_BYTES))),
})
export type CreateLargeUploadRequest = z.input<typeof CreateLargeUploadRequest>

export const LargeUploadCreated = z.object({
  uploadId: LargeUploadId,
  /** Every part but the last is exactly this many bytes. */
  partSize: z.number().check(z.int()),
  partCount: z.number().check(z.int()),
  /** Parts not completed by then are dropped. */
  expiresAt: z.iso.datetime(),
})
export type LargeUploadCreated = z.infer<typeof LargeUploadCreated>

/** The answer to one part: R2 has it. */
export const LargeUploadPartReceived = z.object({
  partNumber: z.number().check(z.int()),
  size: z.number().check(z.int()),
})
export type LargeUploadPartReceived = z.infer<typeof LargeUploadPartReceived>

export const LargeUploadState = z.enum(['open', 'completing', 'completed'])
export type LargeUploadState = z.infer<typeof LargeUploadState>

/** Where an upload stands: a client resumes by sending `missingParts` again, then completing. */
export const LargeUploadStatus = z.object({
  uploadId: LargeUploadId,
  filename: z.string(),
  size: z.number().check(z.int()),
  partSize: z.number().check(z.int()),
  partCount: z.number().check(z.int()),
  state: LargeUploadState,
  receivedParts: z.array(z.number().check(z.int())),
  missingParts: z.array(z.number().check(z.int())),
  expiresAt: z.iso.datetime(),
  /** Once completed: what the backend made of the file (the same answer as the completion's). */
  result: z.optional(UploadResult),
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
