import type { Env } from '../env.ts'
import { backendFile } from './backend-file.ts'
import type { JobSnapshot } from './job-record.ts'

/** Where a job's finished file is kept in R2. */
export function copyKey(jobId: string): string {
  return `exports/${jobId}.mp4`
}

/** The backend sent the file without a length: R2 cannot take it as a stream, so no copy. */
export class CopyImpossible extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'CopyImpossible'
  }
}

/**
 * Copies the job's finished file from the backend into R2, streamed with its length (R2 needs a
 * stream of known length; nothing is buffered), the owner in customMetadata. Idempotent: a copy
 * already there (an earlier attempt that finished after its timeout) is taken as it is.
 * Answers the copy's size.
 */
export async function copyOutput(env: Env, job: JobSnapshot): Promise<number> {
  const key = copyKey(job.jobId)
  const existing = await env.MEDIA.head(key)
  if (existing && existing.customMetadata?.['installationId'] === job.installationId)
    return existing.size
  const source = await backendFile(env, job)
  const body = source.body
  const length = Number(source.headers.get('content-length'))
  if (!body || !Number.isSafeInteger(length) || length <= 0) {
    await body?.cancel().catch(() => undefined)
    throw new CopyImpossible('no_length')
  }
  const { readable, writable } = new FixedLengthStream(length)
  const piping = body.pipeTo(writable)
  const stored = await env.MEDIA.put(key, readable, {
    httpMetadata: { contentType: 'video/mp4' },
    customMetadata: { installationId: job.installationId, jobId: job.jobId },
  })
  await piping
  return stored.size
}

/** The job's copy in R2 if there is one and it is the owner's; R2 trouble falls back to the backend. */
export async function storedCopy(env: Env, job: JobSnapshot): Promise<R2ObjectBody | null> {
  try {
    const object = await env.MEDIA.get(copyKey(job.jobId))
    if (!object) return null
    if (object.customMetadata?.['installationId'] === job.installationId) return object
    await object.body.cancel()
    return null
  } catch (err) {
    console.warn(
      `export ${job.jobId}: R2 copy unreadable (${err instanceof Error ? err.name : 'error'}); using the backend`,
    )
    return null
  }
}

/** Deletes the job's copy (absent is fine). */
export async function deleteCopy(env: Env, jobId: string): Promise<void> {
  await env.MEDIA.delete(copyKey(jobId))
}
