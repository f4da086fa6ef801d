import type { UploadedFile, UploadResult } from '../../shared/api/uploads.ts'
import type { UpstreamUploadFile } from './types.ts'

/** The API's view of the backend's upload answer (its CDN URL and metadata, no internal fields). */
export function toUploadResult(result: {
  files: UpstreamUploadFile[]
  applied: boolean
}): UploadResult {
  return {
    applied: result.applied,
    files: result.files.map((f): UploadedFile => ({
      filename: f.filename,
      ...(f.fileType && { kind: f.fileType }),
      ...(f.cdnUrl && { url: f.cdnUrl }),
      ...(f.duration !== undefined && { durationSec: f.duration }),
      ...(f.width !== undefined && { width: f.width }),
      ...(f.height !== undefined && { height: f.height }),
    })),
  }
}
