import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { createUpstream } from '../upstream/client.ts'
import type { JobSnapshot } from './job-record.ts'

/**
 * The finished file as the backend serves it: from the status URL, or, when there is none or it no
 * longer answers, from the token-only download. Throws `upstream_unavailable` when neither does.
 */
export async function backendFile(
  env: Env,
  job: JobSnapshot,
  signal?: AbortSignal,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const source =
    (await fromOutputUrl(job.outputUrl, signal)) ??
    (await createUpstream(env, job.installationId).downloadRender(job.renderId))
  if (!source.ok || !source.body) {
    await source.body?.cancel()
    throw new WorkerError('upstream_unavailable', { params: { httpStatus: source.status } })
  }
  return source as Response & { body: ReadableStream<Uint8Array> }
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
