import {
  BACKEND_MAX_FILE_BYTES,
  DEFAULT_WORKER_UPLOAD_LIMIT_BYTES,
  MEDIA_FORMATS,
  MIME_TO_FORMAT,
  mediaFormatOf,
} from '../../../shared/media.ts'
import { clientError } from './errors.ts'

/** A file to upload: its bytes and the name the backend will see. */
export interface UploadFile {
  blob: Blob
  name: string
}

/**
 * Checks formats and sizes before anything is sent, the same rules the worker and the backend
 * apply, and names a file without an extension after its MIME type (a blob: image has none).
 * Throws an `ApiRequestError` (status 0) carrying the action the UI shows.
 */
export function prepareUploadFiles(
  files: readonly UploadFile[],
  limitBytes: number = DEFAULT_WORKER_UPLOAD_LIMIT_BYTES,
): UploadFile[] {
  if (files.length === 0) throw clientError('invalid_request', 'No files to upload.')
  const prepared = files.map((f) => {
    if (mediaFormatOf(f.name)) return f
    const byMime = MIME_TO_FORMAT[f.blob.type.split(';')[0]?.trim().toLowerCase() ?? '']
    if (!byMime) {
      throw clientError('unsupported_format', `${f.name} is not a supported format.`, {
        action: { kind: 'formats', formats: [...MEDIA_FORMATS] },
        params: { filename: f.name },
      })
    }
    return { blob: f.blob, name: `${f.name.replace(/\.+$/, '') || 'file'}.${byMime}` }
  })
  for (const f of prepared) {
    if (f.blob.size > BACKEND_MAX_FILE_BYTES) {
      throw clientError('file_too_large', `${f.name} is over the backend's file limit.`, {
        action: { kind: 'compress' },
        params: { limitBytes: BACKEND_MAX_FILE_BYTES, filename: f.name },
      })
    }
  }
  const total = prepared.reduce((sum, f) => sum + f.blob.size, 0)
  if (total > limitBytes) {
    throw clientError('upload_too_large', 'These files are over the upload limit together.', {
      action: { kind: 'compress' },
      params: { limitBytes },
    })
  }
  return prepared
}
