import { z } from 'zod'
import { looseNumber } from './envelope.ts'

export const UpstreamFileType = z.enum(['video', 'image', 'audio'])

const UploadedFileData = z.looseObject({
  filename: z.string().catch('file'),
  file_type: UpstreamFileType.optional().catch(undefined),
  cdn_url: z.string().optional().catch(undefined),
  duration: looseNumber,
  width: looseNumber,
  height: looseNumber,
})

/** `data` of `POST /api/upload-video/nemo_agent/me/<sid>` (multipart or URLs). */
export const UploadData = z
  .looseObject({
    files: z.array(UploadedFileData).catch([]).default([]),
    session_state_applied: z.boolean().optional().catch(undefined),
  })
  .transform((d) => ({
    files: d.files.map((f) => ({
      filename: f.filename,
      fileType: f.file_type,
      cdnUrl: f.cdn_url,
      duration: f.duration,
      width: f.width,
      height: f.height,
    })),
    applied: d.session_state_applied ?? false,
  }))
export type UploadData = z.infer<typeof UploadData>
