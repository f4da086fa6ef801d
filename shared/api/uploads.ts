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
