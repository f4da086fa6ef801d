import { DurableObject } from 'cloudflare:workers'
import {
  partCountOf,
  partLengthOf,
  type LargeUploadStatus,
  type UploadResult,
} from '../../shared/api/uploads.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { withUpstreamSession } from '../sessions/access.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import { toUploadResult } from '../upstream/upload-result.ts'
import { fail, type Result } from '../result.ts'
import { UploadStore, type NewUpload, type UploadRecord } from './upload-store.ts'

/** Who asks: the installation and the worker session the upload was created in. */
export interface UploadOwner {
  installationId: string
  sessionId: string
}

/** Where a part's bytes go: R2's multipart upload, resumed by key and id. */
export interface PartTarget {
  r2Key: string
  r2UploadId: string
  length: number
}

/** After completion the answer is kept this long, so a repeated `complete` gets the same result. */
export const RESULT_KEPT_MS = 60 * 60 * 1000

/**
 * One large upload: its owner, its part plan and the parts R2 confirmed (with their etags, which
 * R2's `complete` needs and Workers cannot list back). The bytes never pass through this object:
 * the worker streams each part straight into R2 and records it here. `complete` runs here, once at
 * a time, so a double click or a retry shares one assembly and one send to the backend, and a
 * client that goes away mid-way does not stop it. Abandoned uploads are aborted by the alarm.
 */
export class LargeUpload extends DurableObject<Env> {
  readonly #store: UploadStore
  #completing: Promise<Result<UploadResult>> | undefined

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.#store = new UploadStore(ctx.storage.sql)
  }

  /** Opens the R2 multipart upload and records the plan; expires at `expiresAt`. */
  async create(input: Omit<NewUpload, 'r2UploadId'>): Promise<void> {
    if (this.#store.read()) throw new Error('upload id already in use')
    const multipart = await this.env.MEDIA.createMultipartUpload(input.r2Key, {
      httpMetadata: { contentType: input.contentType || 'application/octet-stream' },
      customMetadata: {
        installationId: input.installationId,
        sessionId: input.sessionId,
        uploadId: input.uploadId,
      },
    })
    this.#store.insert({ ...input, r2UploadId: multipart.uploadId })
    await this.ctx.storage.setAlarm(input.expiresAt)
  }

  status(owner: UploadOwner): LargeUploadStatus | null {
    const upload = this.#owned(owner)
    return upload && this.#statusOf(upload)
  }

  /** Where part `n` goes, if the upload is open and `length` is that part's exact size. */
  partTarget(owner: UploadOwner, n: number, length: number): Result<PartTarget> {
    const upload = this.#owned(owner)
    if (!upload) return fail(new WorkerError('not_found'), 'large upload')
    if (upload.state !== 'open' || upload.assembled) {
      return fail(
        invalid('upload', 'the parts are assembled already: complete it again, or abort'),
        'large upload',
      )
    }
    if (n > upload.partCount)
      return fail(
        invalid('partNumber', `this upload has ${upload.partCount} parts`),
        'large upload',
      )
    const expected = partLengthOf(upload.size, upload.partSize, n)
    if (length !== expected)
      return fail(
        invalid('header.content-length', `part ${n} must be exactly ${expected} bytes`),
        'large upload',
      )
    return { ok: true, value: { r2Key: upload.r2Key, r2UploadId: upload.r2UploadId, length } }
  }

  /** Records a part R2 confirmed. Refused once completion has started (its part list is fixed). */
  recordPart(
    owner: UploadOwner,
    part: { partNumber: number; etag: string; size: number },
  ): Result<LargeUploadStatus> {
    const upload = this.#owned(owner)
    if (!upload) return fail(new WorkerError('not_found'), 'large upload')
    if (upload.state !== 'open' || upload.assembled) {
      return fail(
        invalid('upload', 'the parts are assembled already: complete it again, or abort'),
        'large upload',
      )
    }
    this.#store.putPart(part)
    return { ok: true, value: this.#statusOf(upload) }
  }

  /**
   * Assembles the parts in R2 and streams the file to the backend; answers what the backend made
   * of it. Concurrent calls share the one run; a repeat after success answers the stored result.
   */
  complete(owner: UploadOwner): Promise<Result<UploadResult>> {
    const upload = this.#owned(owner)
    if (!upload) return Promise.resolve(fail(new WorkerError('not_found'), 'large upload'))
    if (upload.result) return Promise.resolve({ ok: true, value: upload.result })
    this.#completing ??= this.#complete(upload).finally(() => {
      this.#completing = undefined
    })
    return this.#completing
  }

  /** Drops the parts (or the assembled object) and forgets the upload. */
  async abort(owner: UploadOwner): Promise<boolean> {
    const upload = this.#owned(owner)
    if (!upload) return false
    if (this.#completing) await this.#completing.catch(() => undefined)
    await this.#discard(this.#store.read() ?? upload)
    return true
  }

  override async alarm(): Promise<void> {
    const upload = this.#store.read()
    if (!upload) return
    // A completion in flight outlives the expiry; look again when the kept result is due.
    if (this.#completing) return this.ctx.storage.setAlarm(Date.now() + RESULT_KEPT_MS)
    await this.#discard(upload)
  }

  async #complete(upload: UploadRecord): Promise<Result<UploadResult>> {
    const parts = this.#store.parts()
    const missing = missingParts(
      upload,
      parts.map((p) => p.partNumber),
    )
    if (missing.length > 0)
      return fail(
        invalid('parts', `missing parts: ${missing.slice(0, 20).join(', ')}`),
        'large upload',
      )
    this.#store.setState('completing')
    try {
      if (!upload.assembled) await this.#assemble(upload, parts)
      const { installationId, sessionId } = upload
      const upstream = createUpstream(this.env, installationId)
      const answer = await withUpstreamSession(this.env, installationId, sessionId, (sid) =>
        upstream.uploadFile(sid, upload, () => this.#openObject(upload)),
      )
      const result = toUploadResult(answer)
      this.#store.setState('completed', { result })
      // The backend has the file: the copy in R2 only costs storage from now on.
      await this.env.MEDIA.delete(upload.r2Key)
      await this.ctx.storage.setAlarm(Date.now() + RESULT_KEPT_MS)
      return { ok: true, value: result }
    } catch (err) {
      // Sent again by the next `complete` (the assembled object stays until the upload expires).
      this.#store.setState('open')
      return fail(err, 'large upload complete')
    }
  }

  async #assemble(
    upload: UploadRecord,
    parts: Array<{ partNumber: number; etag: string }>,
  ): Promise<void> {
    const multipart = this.env.MEDIA.resumeMultipartUpload(upload.r2Key, upload.r2UploadId)
    try {
      await multipart.complete(parts.map(({ partNumber, etag }) => ({ partNumber, etag })))
    } catch (err) {
      // An earlier run may have completed it and died before recording that: R2 then has the object.
      const existing = await this.env.MEDIA.head(upload.r2Key)
      if (existing?.size !== upload.size) throw err
    }
    this.#store.setState('completing', { assembled: true })
  }

  async #openObject(upload: UploadRecord): Promise<ReadableStream<Uint8Array>> {
    const object = await this.env.MEDIA.get(upload.r2Key)
    if (!object || object.size !== upload.size)
      throw new WorkerError('internal', { params: { reason: 'assembled_file_missing' } })
    return object.body as ReadableStream<Uint8Array>
  }

  async #discard(upload: UploadRecord): Promise<void> {
    try {
      if (upload.assembled) await this.env.MEDIA.delete(upload.r2Key)
      else if (upload.state !== 'completed')
        await this.env.MEDIA.resumeMultipartUpload(upload.r2Key, upload.r2UploadId).abort()
    } catch (err) {
      // R2 drops unfinished multipart uploads on its own after 7 days; the record goes regardless.
      console.warn(
        `large upload ${upload.uploadId}: R2 clean-up failed (${err instanceof Error ? err.name : 'error'})`,
      )
    }
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  #owned(owner: UploadOwner): UploadRecord | null {
    const upload = this.#store.read()
    if (
      !upload ||
      upload.installationId !== owner.installationId ||
      upload.sessionId !== owner.sessionId
    )
      return null
    return upload
  }

  #statusOf(upload: UploadRecord): LargeUploadStatus {
    const received = this.#store.parts().map((p) => p.partNumber)
    return {
      uploadId: upload.uploadId,
      filename: upload.filename,
      size: upload.size,
      partSize: upload.partSize,
      partCount: upload.partCount,
      state: upload.state,
      receivedParts: received,
      missingParts: missingParts(upload, received),
      expiresAt: new Date(upload.expiresAt).toISOString(),
      ...(upload.result && { result: upload.result }),
    }
  }
}

function missingParts(
  upload: Pick<UploadRecord, 'size' | 'partSize'>,
  received: number[],
): number[] {
  const have = new Set(received)
  const count = partCountOf(upload.size, upload.partSize)
  return Array.from({ length: count }, (_, i) => i + 1).filter((n) => !have.has(n))
}

function invalid(path: string, message: string): WorkerError {
  return new WorkerError('invalid_request', { issues: [{ path, message }] })
}
