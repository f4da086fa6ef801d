import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import {
  LargeUploadCreated,
  LargeUploadStatus,
  R2_MIN_PART_BYTES,
  UploadResult,
  partLengthOf,
} from '../../shared/api/uploads.ts'
import { BACKEND_MAX_FILE_BYTES } from '../../shared/media.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import type { LargeUpload } from '../../worker/uploads/large-upload.ts'
import { uploadKey, uploadStub } from '../../worker/uploads/upload-stub.ts'
import { hashBytes } from '../simulator/prng.ts'
import { api, json, logOf, openSession, recordOf, register, sim } from './helpers.ts'

const MiB = 1024 * 1024

async function setup() {
  const { key } = await register()
  return { key, sessionId: await openSession(key) }
}

/** The bytes of a test file at `offset..offset+length`, the same on every call (never all in memory). */
function fileByte(i: number): number {
  return (i * 131 + (i >>> 11)) & 0xff
}

/** Part `n` of the file as a stream of 64 KiB chunks, with its length known (FixedLengthStream). */
function partStream(
  size: number,
  partSize: number,
  n: number,
  cut?: number,
): ReadableStream<Uint8Array> {
  const length = partLengthOf(size, partSize, n)
  const start = (n - 1) * partSize
  const { readable, writable } = new FixedLengthStream(length)
  void (async () => {
    const writer = writable.getWriter()
    for (let at = 0; at < length; at += 64 * 1024) {
      if (cut !== undefined && at >= cut) {
        await writer.abort(new Error('connection lost'))
        return
      }
      const chunk = new Uint8Array(Math.min(64 * 1024, length - at))
      for (let i = 0; i < chunk.length; i += 1) chunk[i] = fileByte(start + at + i)
      await writer.write(chunk)
    }
    await writer.close()
  })().catch(() => undefined)
  return readable as ReadableStream<Uint8Array>
}

/** The simulator's FNV-1a hash of the whole file, as its upload answer reports it in the CDN URL. */
function fileHash(size: number): string {
  let h = 0x811c9dc5
  const chunk = new Uint8Array(MiB)
  for (let at = 0; at < size; at += MiB) {
    const view = chunk.subarray(0, Math.min(MiB, size - at))
    for (let i = 0; i < view.length; i += 1) view[i] = fileByte(at + i)
    h = hashBytes(h, view)
  }
  return `${h.toString(16).padStart(8, '0')}${size.toString(16)}`
}

async function create(key: string, sessionId: string, body: Record<string, unknown>) {
  return api(paths.largeUploads(sessionId), json('POST', body), key)
}

async function putPart(
  key: string,
  sessionId: string,
  uploadId: string,
  n: number,
  body: BodyInit,
  length: number,
) {
  return api(
    paths.largeUploadPart(sessionId, uploadId, n),
    {
      method: 'PUT',
      body,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(length) },
    },
    key,
  )
}

async function status(key: string, sessionId: string, uploadId: string) {
  const res = await api(paths.largeUpload(sessionId, uploadId), {}, key)
  if (res.status !== 200) throw new Error(`status answered ${res.status}: ${await res.text()}`)
  return LargeUploadStatus.parse(await res.json())
}

async function errorOf(res: Response) {
  return ErrorEnvelope.parse(await res.json()).error
}

describe('a large upload in parts through R2', () => {
  it('sends 3 parts of 5 MiB and a short last one, then streams the whole file to the backend with its exact length', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const size = 3 * 5 * MiB + 12_345
    const created = await create(key, sessionId, {
      filename: 'holiday.mp4',
      size,
      contentType: 'video/mp4',
      partSize: 5 * MiB,
    })
    expect(created.status).toBe(201)
    const plan = LargeUploadCreated.parse(await created.json())
    expect(plan).toMatchObject({ partSize: 5 * MiB, partCount: 4 })

    for (let n = 1; n <= plan.partCount; n += 1) {
      const length = partLengthOf(size, plan.partSize, n)
      const res = await putPart(
        key,
        sessionId,
        plan.uploadId,
        n,
        partStream(size, plan.partSize, n),
        length,
      )
      expect(res.status, `part ${n}`).toBe(200)
      expect(await res.json()).toEqual({ partNumber: n, size: length })
    }
    expect(await status(key, sessionId, plan.uploadId)).toMatchObject({
      state: 'open',
      receivedParts: [1, 2, 3, 4],
      missingParts: [],
    })

    const before = sim.log.length
    const done = await api(
      paths.completeLargeUpload(sessionId, plan.uploadId),
      { method: 'POST' },
      key,
    )
    expect(done.status).toBe(200)
    const result = UploadResult.parse(await done.json())
    expect(result.files.map((f) => [f.filename, f.kind])).toEqual([['holiday.mp4', 'video']])
    // The backend read every byte of the file, in order: its answer names the bytes' hash and size.
    expect(result.files[0]?.url).toContain(`/cdn/${fileHash(size)}/`)

    const [upload] = logOf('upload', before)
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const declared = Number(upload?.headers['content-length'])
    expect(declared).toBe(upload?.uploadBytes)
    expect(declared - size).toBeGreaterThan(0)
    expect(declared - size).toBeLessThan(400) // the part header and the closing boundary
    expect(upload?.headers['transfer-encoding']).toBeUndefined()

    // The backend has it: R2 keeps nothing, and a repeated complete answers the same without sending again.
    expect(await env.MEDIA.head(uploadKey(plan.uploadId))).toBeNull()
    const again = await api(
      paths.completeLargeUpload(sessionId, plan.uploadId),
      { method: 'POST' },
      key,
    )
    expect(UploadResult.parse(await again.json())).toEqual(result)
    expect(logOf('upload', before)).toHaveLength(1)
    expect((await status(key, sessionId, plan.uploadId)).state).toBe('completed')
  })

  it('resumes after failed parts: a body cut off mid-way and a wrong length are refused, sent again, and the upload completes', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const size = 2 * 5 * MiB + 777
    const plan = LargeUploadCreated.parse(
      await (
        await create(key, sessionId, {
          filename: 'talk.mov',
          size,
          contentType: 'video/quicktime',
          partSize: 5 * MiB,
        })
      ).json(),
    )
    expect(plan.partCount).toBe(3)
    expect(
      (
        await putPart(
          key,
          sessionId,
          plan.uploadId,
          1,
          partStream(size, plan.partSize, 1),
          plan.partSize,
        )
      ).status,
    ).toBe(200)

    // Part 2 breaks off after 1 MiB: the worker stores nothing for it.
    const cut = await putPart(
      key,
      sessionId,
      plan.uploadId,
      2,
      partStream(size, plan.partSize, 2, MiB),
      plan.partSize,
    ).catch((err: unknown) => err)
    if (cut instanceof Response) {
      expect(cut.status).toBe(400)
      expect((await errorOf(cut)).code).toBe('invalid_request')
    }
    // Part 3 with a length that is not the last part's: refused before reading.
    const wrong = await putPart(key, sessionId, plan.uploadId, 3, new Uint8Array(1000), 1000)
    expect(wrong.status).toBe(400)
    expect((await errorOf(wrong)).issues?.[0]?.path).toBe('header.content-length')

    const halfway = await status(key, sessionId, plan.uploadId)
    expect(halfway).toMatchObject({ receivedParts: [1], missingParts: [2, 3] })
    // Completing now is refused and names what is missing.
    const early = await api(
      paths.completeLargeUpload(sessionId, plan.uploadId),
      { method: 'POST' },
      key,
    )
    expect(early.status).toBe(400)
    expect((await errorOf(early)).issues?.[0]?.message).toContain('2, 3')

    for (const n of halfway.missingParts) {
      const res = await putPart(
        key,
        sessionId,
        plan.uploadId,
        n,
        partStream(size, plan.partSize, n),
        partLengthOf(size, plan.partSize, n),
      )
      expect(res.status).toBe(200)
    }
    const before = sim.log.length
    const done = await api(
      paths.completeLargeUpload(sessionId, plan.uploadId),
      { method: 'POST' },
      key,
    )
    expect(done.status).toBe(200)
    expect(UploadResult.parse(await done.json()).files[0]?.url).toContain(`/cdn/${fileHash(size)}/`)
    expect(logOf('upload', before)[0]?.uploadBytes).toBe(
      Number(logOf('upload', before)[0]?.headers['content-length']),
    )
  })

  it('sends the stored file again after a renewed token, and a failed completion is completed later without the parts', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const size = 300_000 // one part: the last part may be any size
    const plan = LargeUploadCreated.parse(
      await (await create(key, sessionId, { filename: 'song.mp3', size })).json(),
    )
    expect(plan.partCount).toBe(1)
    expect(
      (await putPart(key, sessionId, plan.uploadId, 1, partStream(size, plan.partSize, 1), size))
        .status,
    ).toBe(200)

    // The backend is down for the first completion: the answer says so, the parts stay assembled in R2.
    sim.control.fault({ kind: 'http', endpoint: 'upload', status: 503 })
    const down = await api(
      paths.completeLargeUpload(sessionId, plan.uploadId),
      { method: 'POST' },
      key,
    )
    expect(down.status).toBe(502)
    expect(await status(key, sessionId, plan.uploadId)).toMatchObject({
      state: 'open',
      missingParts: [],
    })
    expect(await env.MEDIA.head(uploadKey(plan.uploadId))).not.toBeNull()
    const late = await putPart(
      key,
      sessionId,
      plan.uploadId,
      1,
      partStream(size, plan.partSize, 1),
      size,
    )
    expect(late.status).toBe(400)

    // Then the token runs out (a 1001): it is renewed for the same client id (the same backend user,
    // who still owns the session), and the file is read from R2 again and sent whole, which a
    // relayed request body could not do.
    const record = await recordOf(key.slice(0, key.indexOf('.')))
    sim.control.expireToken(record.token as string)
    const before = sim.log.length
    const done = await api(
      paths.completeLargeUpload(sessionId, plan.uploadId),
      { method: 'POST' },
      key,
    )
    expect(done.status).toBe(200)
    expect(UploadResult.parse(await done.json()).files[0]?.url).toContain(`/cdn/${fileHash(size)}/`)
    const sends = logOf('upload', before)
    expect(sends.map((e) => e.status)).toEqual([401, 200])
    expect(logOf('anonymous-token', before)).toHaveLength(1)
    expect(sends[1]?.uploadBytes).toBe(Number(sends[1]?.headers['content-length']))
    expect(sends[1]?.headers['content-length']).toBe(sends[0]?.headers['content-length'])
    expect(sends[1]?.headers['authorization']).not.toBe(sends[0]?.headers['authorization'])
    expect(await env.MEDIA.head(uploadKey(plan.uploadId))).toBeNull()
  })

  it('is not_found for another installation, for every call, and leaves the upload intact', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const other = await register()
    const plan = LargeUploadCreated.parse(
      await (
        await create(key, sessionId, { filename: 'a.mp4', size: 6 * MiB, partSize: 5 * MiB })
      ).json(),
    )
    // Another installation cannot start one in this session either.
    expect((await create(other.key, sessionId, { filename: 'b.mp4', size: 6 * MiB })).status).toBe(
      404,
    )
    const calls = [
      api(paths.largeUpload(sessionId, plan.uploadId), {}, other.key),
      putPart(
        other.key,
        sessionId,
        plan.uploadId,
        1,
        new Uint8Array(R2_MIN_PART_BYTES),
        R2_MIN_PART_BYTES,
      ),
      api(paths.completeLargeUpload(sessionId, plan.uploadId), { method: 'POST' }, other.key),
      api(paths.largeUpload(sessionId, plan.uploadId), { method: 'DELETE' }, other.key),
    ]
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404)
      expect((await errorOf(res)).code).toBe('not_found')
    }
    // The owner, through another of its sessions, does not reach it either: an upload belongs to its session.
    const otherSession = await openSession(key)
    expect((await api(paths.largeUpload(otherSession, plan.uploadId), {}, key)).status).toBe(404)
    expect(await status(key, sessionId, plan.uploadId)).toMatchObject({
      receivedParts: [],
      state: 'open',
    })
  })

  it('refuses a file over the backend’s 500 MB and an unsupported format at create', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const tooBig = await create(key, sessionId, {
      filename: 'long.mp4',
      size: BACKEND_MAX_FILE_BYTES + 1,
      contentType: 'video/mp4',
    })
    expect(tooBig.status).toBe(413)
    const big = await errorOf(tooBig)
    expect(big).toMatchObject({
      code: 'file_too_large',
      params: { limitBytes: BACKEND_MAX_FILE_BYTES },
      action: { kind: 'compress' },
    })
    expect(big.message).toContain('500 MB')

    const odd = await create(key, sessionId, {
      filename: 'notes.txt',
      size: 10 * MiB,
      contentType: 'text/plain',
    })
    expect(odd.status).toBe(415)
    expect(await errorOf(odd)).toMatchObject({
      code: 'unsupported_format',
      action: { kind: 'formats' },
    })
    // A name without an extension passes on its MIME type.
    expect(
      (
        await create(key, sessionId, {
          filename: 'clip',
          size: 10 * MiB,
          contentType: 'video/webm',
        })
      ).status,
    ).toBe(201)
  })

  it('aborts: the parts are dropped and the upload is gone', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const size = 5 * MiB + 10
    const plan = LargeUploadCreated.parse(
      await (await create(key, sessionId, { filename: 'x.mp3', size, partSize: 5 * MiB })).json(),
    )
    expect(
      (
        await putPart(
          key,
          sessionId,
          plan.uploadId,
          1,
          partStream(size, plan.partSize, 1),
          plan.partSize,
        )
      ).status,
    ).toBe(200)
    const r2UploadId = await runInDurableObject(
      uploadStub(env, plan.uploadId),
      (_: LargeUpload, state) =>
        String(state.storage.sql.exec('SELECT r2UploadId FROM upload').one()['r2UploadId']),
    )
    const multipart = env.MEDIA.resumeMultipartUpload(uploadKey(plan.uploadId), r2UploadId)
    // Still open: R2 takes a part for it.
    await expect(multipart.uploadPart(2, new Uint8Array(10))).resolves.toMatchObject({
      partNumber: 2,
    })
    const res = await api(paths.largeUpload(sessionId, plan.uploadId), { method: 'DELETE' }, key)
    expect(res.status).toBe(204)
    expect((await api(paths.largeUpload(sessionId, plan.uploadId), {}, key)).status).toBe(404)
    // Aborted in R2 too: its parts are gone and it takes no more.
    await expect(multipart.uploadPart(2, new Uint8Array(10))).rejects.toThrow()
    expect(
      await runInDurableObject(uploadStub(env, plan.uploadId), (_: LargeUpload, state) =>
        state.storage.getAlarm(),
      ),
    ).toBeNull()
  })

  it('requires a Content-Length on a part and keeps parts under UPLOAD_PART_MAX_BYTES', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const plan = LargeUploadCreated.parse(
      await (
        await create(key, sessionId, { filename: 'x.mp4', size: 400 * MiB, partSize: 200 * MiB })
      ).json(),
    )
    // The preference is clamped to the configured maximum (32 MiB by default).
    expect(plan.partSize).toBe(32 * MiB)
    expect(plan.partCount).toBe(13)
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => (c.enqueue(new Uint8Array(10)), c.close()),
    })
    const res = await api(
      paths.largeUploadPart(sessionId, plan.uploadId, 1),
      { method: 'PUT', body: stream },
      key,
    )
    expect(res.status).toBe(411)
    const tooLong = await putPart(key, sessionId, plan.uploadId, 1, new Uint8Array(10), 33 * MiB)
    expect(tooLong.status).toBe(413)
  })
})
