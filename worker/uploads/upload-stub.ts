import type { Env } from '../env.ts'
import { toHex } from '../exports/job-id.ts'

/** An upload left unfinished this long is aborted and its parts dropped. */
export const LARGE_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000

/** The LargeUpload object of an upload id (one object per upload). */
export function uploadStub(env: Env, uploadId: string) {
  return env.LARGE_UPLOAD.get(env.LARGE_UPLOAD.idFromName(uploadId))
}

/** A new, unguessable upload id (`lu_` + 128 random bits). */
export function newUploadId(): string {
  return `lu_${toHex(crypto.getRandomValues(new Uint8Array(16)))}`
}

/** Where an upload's parts, then its assembled file, live in R2 until the backend has it. */
export function uploadKey(uploadId: string): string {
  return `uploads/${uploadId}`
}
