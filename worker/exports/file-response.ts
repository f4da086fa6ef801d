import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { createUpstream } from '../upstream/client.ts'
import type { JobSnapshot } from './job-record.ts'

/**
 * The finished MP4 of a job, streamed through: from the URL the backend's status gave, or, when
 * there is none or it no longer answers, from the backend's token-only download. Never buffered.
 */
export async function fileResponse(env: Env, job: JobSnapshot, signal?: AbortSignal): Promise<Response> {
  if (job.status === 'cancelled') throw new WorkerError('job_cancelled')
  if (job.status === 'failed') throw new WorkerError('render_failed', job.errorParams ? { params: job.errorParams } : {})
  if (job.status !== 'completed') throw new WorkerError('job_not_finished')

  const source = (await fromOutputUrl(job.outputUrl, signal)) ?? (await createUpstream(env, job.installationId).downloadRender(job.renderId))
  if (!source.ok || !source.body) {
    await source.body?.cancel()
    throw new WorkerError('upstream_unavailable', { params: { httpStatus: source.status } })
  }
  const headers = new Headers({
    'Content-Type': 'video/mp4',
    'Content-Disposition': `attachment; filename="${job.fileName ?? `${job.jobId}.mp4`}"`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  })
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

async function fromOutputUrl(url: string | null, signal?: AbortSignal): Promise<Response | null> {
  if (!url || !/^https?:\/\//i.test(url)) return null
  try {
    const res = await fetch(url, { signal })
    if (res.ok && res.body) return res
    await res.body?.cancel()
    console.warn(`render output URL answered ${res.status}; using the token download`)
  } catch (err) {
    if (signal?.aborted) throw err
    console.warn('render output URL unreachable; using the token download')
  }
  return null
}
