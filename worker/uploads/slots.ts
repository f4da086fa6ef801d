import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { keeperOf } from '../installations/record.ts'
import { LARGE_UPLOAD_TTL_MS } from './upload-stub.ts'

// A streamed upload cannot outlive its upstream timeout; a minute more covers the answer.
const STREAM_SLOT_MARGIN_MS = 60_000

/**
 * Runs one streamed upload inside one of the installation's UPLOADS_CONCURRENT_MAX slots (kept by
 * its keeper, so the count holds across isolates); `too_many_uploads` when all are taken. The slot
 * is given back however the upload ends.
 */
export async function withUploadSlot<T>(
  env: Env,
  installationId: string,
  run: () => Promise<T>,
): Promise<T> {
  const config = getConfig(env)
  const keeper = keeperOf(env, installationId)
  const id = `stream:${crypto.randomUUID()}`
  const ttl = config.upstreamTimeoutsMs.upload + STREAM_SLOT_MARGIN_MS
  if (!(await keeper.openUpload('stream', id, config.uploadsConcurrentMax, ttl))) throw busy()
  try {
    return await run()
  } finally {
    await keeper.closeUpload(id).catch(() => undefined)
  }
}

/** Takes a slot for a new large upload (LARGE_UPLOADS_OPEN_MAX open per installation, 24 h at most). */
export async function openLargeUploadSlot(
  env: Env,
  installationId: string,
  uploadId: string,
): Promise<void> {
  const max = getConfig(env).largeUploadsOpenMax
  if (
    !(await keeperOf(env, installationId).openUpload(
      'large',
      `large:${uploadId}`,
      max,
      LARGE_UPLOAD_TTL_MS,
    ))
  ) {
    throw busy()
  }
}

/** Gives a large upload's slot back (completed or aborted). */
export async function closeLargeUploadSlot(
  env: Env,
  installationId: string,
  uploadId: string,
): Promise<void> {
  await keeperOf(env, installationId)
    .closeUpload(`large:${uploadId}`)
    .catch(() => undefined)
}

function busy(): WorkerError {
  return new WorkerError('too_many_uploads', { params: { afterMs: 30_000 } })
}
