import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import { fetchBackendFile } from './file-fetch.ts'
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
    (job.outputUrl ? await fetchBackendFile(getConfig(env), job.outputUrl, signal) : null) ??
    (await createUpstream(env, job.installationId).downloadRender(job.renderId))
  if (!source.ok || !source.body) {
    await source.body?.cancel()
    throw new WorkerError('upstream_unavailable', { params: { httpStatus: source.status } })
  }
  return source as Response & { body: ReadableStream<Uint8Array> }
}
