import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { keeperOf } from '../../worker/installations/record.ts'
import { api, bytes, json, logOf, multipart, openSession, register } from './helpers.ts'

/**
 * Issue 11, item 5: a body that goes quiet is cut off after STREAM_IDLE_TIMEOUT_MS (2 s in the
 * tests), and one installation cannot keep many uploads open at once.
 */

/** A body that sends `head` and then nothing, ever (the sender went quiet, the connection stays). */
function stallingBody(head: Uint8Array) {
  let sent = false
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true
        controller.enqueue(head)
      }
      return new Promise(() => undefined)
    },
  })
}

/** How many streaming-upload slots the installation's keeper holds now. */
async function streamSlots(installationId: string): Promise<number> {
  return runInDurableObject(keeperOf(env, installationId), (_, state) => {
    const sql = state.storage.sql
    const table = sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'uploads'`)
    if (table.toArray().length === 0) return 0
    return sql.exec<{ n: number }>(`SELECT count(*) AS n FROM uploads WHERE kind = 'stream'`).one()
      .n
  })
}

async function codeOf(res: Response): Promise<string> {
  return ErrorEnvelope.parse(await res.json()).error.code
}

describe('a stalled body (issue 11, item 5)', () => {
  it('aborts a multipart upload that sends nothing more, with upload_stalled', async ({
    expect,
  }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const { body, contentType } = multipart([
      { name: 'clip.mp4', type: 'video/mp4', bytes: bytes(200_000) },
    ])
    const res = await api(
      paths.uploads(sessionId),
      {
        method: 'POST',
        body: stallingBody(body.slice(0, 4096)),
        headers: { 'Content-Type': contentType, 'Content-Length': String(body.byteLength) },
        // @ts-expect-error: workerd's RequestInit takes duplex for a streamed body
        duplex: 'half',
      },
      key,
    )
    expect(res.status).toBe(408)
    expect(await codeOf(res)).toBe('upload_stalled')
  })

  it('aborts a large upload part that sends nothing more', async ({ expect }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const size = 6 * 1024 * 1024
    const created = await api(
      paths.largeUploads(sessionId),
      json('POST', { filename: 'big.mp4', size, contentType: 'video/mp4' }),
      key,
    )
    expect(created.status).toBe(201)
    const { uploadId, partSize } = (await created.json()) as { uploadId: string; partSize: number }
    const res = await api(
      paths.largeUploadPart(sessionId, uploadId, 1),
      {
        method: 'PUT',
        body: stallingBody(bytes(64 * 1024)),
        headers: { 'Content-Length': String(Math.min(partSize, size)) },
        // @ts-expect-error: workerd's RequestInit takes duplex for a streamed body
        duplex: 'half',
      },
      key,
    )
    expect(res.status).toBe(408)
    expect(await codeOf(res)).toBe('upload_stalled')
  })
})

describe('uploads per installation (issue 11, item 5)', () => {
  it('caps open large uploads (LARGE_UPLOADS_OPEN_MAX = 2) and frees a slot on abort', async ({
    expect,
  }) => {
    const { key } = await register()
    const sessionId = await openSession(key)
    const start = () =>
      api(
        paths.largeUploads(sessionId),
        json('POST', { filename: 'big.mp4', size: 6 * 1024 * 1024, contentType: 'video/mp4' }),
        key,
      )
    const first = await start()
    const second = await start()
    expect([first.status, second.status]).toEqual([201, 201])
    const third = await start()
    expect(third.status).toBe(429)
    expect(await codeOf(third)).toBe('too_many_uploads')
    // Another installation is not affected.
    const other = await register()
    const otherSession = await openSession(other.key)
    expect(
      (
        await api(
          paths.largeUploads(otherSession),
          json('POST', { filename: 'big.mp4', size: 6 * 1024 * 1024, contentType: 'video/mp4' }),
          other.key,
        )
      ).status,
    ).toBe(201)
    const { uploadId } = (await first.json()) as { uploadId: string }
    expect(
      (await api(paths.largeUpload(sessionId, uploadId), { method: 'DELETE' }, key)).status,
    ).toBe(204)
    expect((await start()).status).toBe(201)
  })

  it('caps uploads streaming at once (UPLOADS_CONCURRENT_MAX); the slots come back', async ({
    expect,
  }) => {
    const max = Number(env.UPLOADS_CONCURRENT_MAX)
    const { key, installationId } = await register()
    const sessionId = await openSession(key)
    const { body, contentType } = multipart([
      { name: 'clip.mp4', type: 'video/mp4', bytes: bytes(200_000) },
    ])
    const before = logOf('upload').length
    // Senders that stall hold every slot until the idle timeout frees them.
    const stalled = Array.from({ length: max }, () =>
      api(
        paths.uploads(sessionId),
        {
          method: 'POST',
          body: stallingBody(body.slice(0, 4096)),
          headers: { 'Content-Type': contentType, 'Content-Length': String(body.byteLength) },
          // @ts-expect-error: workerd's RequestInit takes duplex for a streamed body
          duplex: 'half',
        },
        key,
      ),
    )
    // Every stalled sender holds its slot now (read from the keeper, not guessed with a sleep).
    while ((await streamSlots(installationId)) < max)
      await new Promise((resolve) => setTimeout(resolve, 10))
    const fourth = await api(
      paths.uploads(sessionId),
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      key,
    )
    expect(fourth.status).toBe(429)
    expect(await codeOf(fourth)).toBe('too_many_uploads')
    expect((await Promise.all(stalled)).map((r) => r.status)).toEqual(Array(max).fill(408))
    const after = await api(
      paths.uploads(sessionId),
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      key,
    )
    expect(after.status).toBe(200)
    expect(logOf('upload', before).length).toBeGreaterThanOrEqual(1)
  })
})
