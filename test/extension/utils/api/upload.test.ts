import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BACKEND_MAX_FILE_BYTES, MEDIA_FORMATS } from '../../../../shared/media.ts'
import { paths, UploadResult } from '../../../../shared/api/index.ts'
import { ApiRequestError, createWorkerClient } from '../../../../extension/utils/api/index.ts'
import { KEY_A, KEY_B, SESSION } from './fixtures.ts'

const png = (size = 10) => new Blob([new Uint8Array(size)], { type: 'image/png' })

function clientSpies() {
  const getKey = vi.fn(async () => KEY_A)
  const createXhr = vi.fn(() => new XMLHttpRequest())
  const fetch = vi.fn()
  const api = createWorkerClient({
    baseUrl: 'http://w.test',
    getKey,
    fetch: fetch as unknown as typeof globalThis.fetch,
  })
  return { api, getKey, createXhr, fetch }
}

describe('uploadFiles checks before sending', () => {
  it('refuses an unsupported format without any request', async () => {
    const { api, getKey, createXhr, fetch } = clientSpies()
    const err = await api
      .uploadFiles(
        SESSION,
        [{ blob: new Blob(['x'], { type: 'image/svg+xml' }), name: 'logo.svg' }],
        { createXhr },
      )
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect((err as ApiRequestError).error).toMatchObject({
      code: 'unsupported_format',
      action: { kind: 'formats', formats: [...MEDIA_FORMATS] },
    })
    expect(createXhr).not.toHaveBeenCalled()
    expect(getKey).not.toHaveBeenCalled()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('refuses files over the upload limit together, and one over the backend limit', async () => {
    const { api, createXhr, getKey } = clientSpies()
    const files = [
      { blob: png(600), name: 'a.png' },
      { blob: png(600), name: 'b.png' },
    ]
    await expect(
      api.uploadFiles(SESSION, files, { createXhr, limitBytes: 1000 }),
    ).rejects.toMatchObject({
      error: { code: 'upload_too_large', params: { limitBytes: 1000 } },
    })
    const huge = { size: BACKEND_MAX_FILE_BYTES + 1, type: 'video/mp4' } as Blob
    await expect(
      api.uploadFiles(SESSION, [{ blob: huge, name: 'big.mp4' }], { createXhr }),
    ).rejects.toMatchObject({
      error: { code: 'file_too_large' },
    })
    expect(createXhr).not.toHaveBeenCalled()
    expect(getKey).not.toHaveBeenCalled()
  })
})

describe('uploadFiles over HTTP', () => {
  let server: Server
  let base: string
  const received: { auth: string | undefined; path: string | undefined; names: string[] }[] = []

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*')
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, accept')
      if (req.method === 'OPTIONS') return res.end()
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const form = await new Request('http://x/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks),
      }).formData()
      const names = form.getAll('files').map((f) => (f as File).name)
      received.push({ auth: req.headers.authorization, path: req.url, names })
      res.setHeader('Content-Type', 'application/json')
      if (req.headers.authorization !== `Bearer ${KEY_B}`) {
        res.statusCode = 401
        return res.end(
          JSON.stringify({ error: { code: 'unauthorized', message: 'unknown installation' } }),
        )
      }
      res.end(
        JSON.stringify(
          UploadResult.parse({
            files: names.map((filename) => ({ filename, kind: 'image' })),
            applied: true,
          }),
        ),
      )
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('sends multipart files parts with progress, renewing the key once on 401', async () => {
    const keys = [KEY_A, KEY_B]
    const getKey = vi.fn(async () => keys.shift()!)
    const api = createWorkerClient({ baseUrl: base, getKey })
    const progress: [number, number][] = []
    const result = await api.uploadFiles(
      SESSION,
      [
        { blob: png(2048), name: 'photo.png' },
        // a blob: image has no name of its own: named after its MIME type
        { blob: new Blob([new Uint8Array(100)], { type: 'image/webp' }), name: 'image' },
      ],
      { onProgress: (loaded, total) => progress.push([loaded, total]) },
    )
    expect(result.files.map((f) => f.filename)).toEqual(['photo.png', 'image.webp'])
    expect(received.map((r) => r.auth)).toEqual([`Bearer ${KEY_A}`, `Bearer ${KEY_B}`])
    expect(received[1]!.path).toBe(paths.uploads(SESSION))
    expect(getKey).toHaveBeenLastCalledWith({ renew: true, rejected: KEY_A })
    expect(progress.at(-1)).toEqual([2148, 2148])
  })
})
