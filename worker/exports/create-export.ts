import type { CreateExportRequest } from '../../shared/api/exports.ts'
import { isExportable, normalizeDraft } from '../draft/normalize.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { keeperOf } from '../installations/record.ts'
import { unwrap } from '../result.ts'
import { withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import { withPresetFrame } from './draft-frame.ts'
import { deriveJobId } from './job-id.ts'
import type { JobSnapshot } from './job-record.ts'
import { jobStub } from './job-stub.ts'

/**
 * Starts an export, once per (installation, idempotency key): the key picks the job's object, so a
 * double click or a retried POST lands on the same job, which submits its render once. A key that
 * already started a job answers that job as it is, even if this request names another preset or
 * session (the key decides; the answer shows what it is).
 *
 * The current draft is read from the backend, refused when empty, given the preset's frame and
 * handed to the job, which submits it before this answers: a refusal such as 402 (anonymous
 * tokens cannot render) is thrown here and leaves no job behind.
 */
export async function createExport(
  env: Env,
  installationId: string,
  sessionId: string,
  request: CreateExportRequest,
): Promise<JobSnapshot> {
  const jobId = await deriveJobId(installationId, request.idempotencyKey)
  const stub = jobStub(env, jobId)
  const job =
    (await stub.snapshot(installationId)) ??
    (await withUpstreamSession(env, installationId, sessionId, async (upstreamSessionId) => {
      const { draft } = await createUpstream(env, installationId).state(upstreamSessionId)
      if (!isExportable(normalizeDraft(draft))) throw new WorkerError('not_exportable')
      const started = await stub.start({
        jobId,
        installationId,
        sessionId,
        upstreamSessionId,
        preset: request.preset,
        draft: withPresetFrame(draft, request.preset),
      })
      // Thrown inside so a lost backend session (1002 on submit) is renewed and tried once more.
      return unwrap(started)
    }))
  // After the start, so a job the backend refused is never listed; on every call (registration is
  // idempotent), so a retry heals a first attempt that died between the start and this line.
  await keeperOf(env, installationId).registerJob({
    jobId,
    sessionId,
    createdAt: new Date(job.createdAt).toISOString(),
  })
  return job
}
