import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { backendFile } from './backend-file.ts'
import type { JobSnapshot } from './job-record.ts'
import { storedCopy } from './output-copy.ts'

/**
 * The finished MP4 of a job, streamed through: the worker's own copy in R2 while it is kept (so the
 * file outlives the backend's link), else from the URL the backend's status gave, else from the
 * backend's token-only download. Never buffered.
 */
export async function fileResponse(
  env: Env,
  job: JobSnapshot,
  signal?: AbortSignal,
): Promise<Response> {
  if (job.status === 'cancelled') throw new WorkerError('job_cancelled')
  if (job.status === 'failed')
    throw new WorkerError('render_failed', job.errorParams ? { params: job.errorParams } : {})
  if (job.status !== 'completed') throw new WorkerError('job_not_finished')

  const headers = new Headers({
    'Content-Type': 'video/mp4',
    'Content-Disposition': `attachment; filename="${job.fileName ?? `${job.jobId}.mp4`}"`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  const copy = await storedCopy(env, job)
  if (copy) {
    // R2's body has a known length: the runtime sends Content-Length, so the browser shows progress.
    headers.set('Content-Length', String(copy.size))
    return new Response(copy.body, { status: 200, headers })
  }
  const source = await backendFile(env, job, signal)
  const length = Number(source.headers.get('content-length'))
  if (Number.isSafeInteger(length) && length > 0) {
    // A fixed-length stream keeps Content-Length on the way out, so the browser shows progress.
    headers.set('Content-Length', String(length))
    const { readable, writable } = new FixedLengthStream(length)
    void source.body.pipeTo(writable).catch(() => {})
    return new Response(readable, { status: 200, headers })
  }
  return new Response(source.body, { status: 200, headers })
}
