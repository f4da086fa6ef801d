import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { paths, type LargeUploadStatus } from '../../../../shared/api/index.ts'
import { createWorkerClient, ApiRequestError } from '../../../../extension/utils/api/index.ts'
import { KEY_A, SESSION } from './fixtures.ts'

const UPLOAD_ID = `lu_${'ab'.repeat(16)}`
const PART = 1000

/**
 * The worker's large-upload protocol over real HTTP, as its routes answer it (shapes from
 * shared/api): a plan of 1000-byte parts, parts kept by number, status, completion. `dropParts`
 * lists part numbers whose next request loses its connection half way.
 */
function largeUploadServer() {
  const state = {
    size: 0,
    name: '',
    parts: new Map<number, Buffer>(),
    dropParts: [] as number[],
    requests: [] as string[],
    completed: undefined as Buffer | undefined,
  }
  const base = `/v1/sessions/${SESSION}/uploads/large`
  const server = createServer(async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, accept')
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT')
    if (req.method === 'OPTIONS') return res.end()
    const url = req.url ?? ''
    state.requests.push(`${req.method} ${url.replace(base, '…')}`)
    const json = (status: number, body: unknown) => {
      res.statusCode = status
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify(body))
    }
    if (req.headers.authorization !== `Bearer ${KEY_A}`)
      return json(401, { error: { code: 'unauthorized', message: 'no' } })
    const part = new RegExp(`^${base}/${UPLOAD_ID}/parts/(\\d+)$`).exec(url)
    if (req.method === 'PUT' && part) {
      const n = Number(part[1])
      if (state.dropParts.includes(n)) {
        state.dropParts.splice(state.dropParts.indexOf(n), 1)
        req.once('data', () => req.socket.destroy())
        return
      }
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      state.parts.set(n, Buffer.concat(chunks))
      return json(200, { partNumber: n, size: Buffer.concat(chunks).length })
    }
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    if (req.method === 'POST' && url === base) {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        filename: string
        size: number
      }
      state.size = body.size
      state.name = body.filename
      const partCount = Math.ceil(body.size / PART)
      return json(201, {
        uploadId: UPLOAD_ID,
        partSize: PART,
        partCount,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
    }
    if (req.method === 'GET' && url === `${base}/${UPLOAD_ID}`) return json(200, status())
    if (req.method === 'POST' && url === `${base}/${UPLOAD_ID}/complete`) {
      state.completed = Buffer.concat(
        [...state.parts.entries()].sort(([a], [b]) => a - b).map(([, b]) => b),
      )
      return json(200, { files: [{ filename: state.name, kind: 'video' }], applied: true })
    }
    json(404, { error: { code: 'not_found', message: 'no' } })
  })

  function status(): LargeUploadStatus {
    const partCount = Math.ceil(state.size / PART)
    const all = Array.from({ length: partCount }, (_, i) => i + 1)
    return {
      uploadId: UPLOAD_ID,
      filename: state.name,
      size: state.size,
      partSize: PART,
      partCount,
      state: 'open',
      receivedParts: all.filter((n) => state.parts.has(n)),
      missingParts: all.filter((n) => !state.parts.has(n)),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    }
  }
  return { server, state }
}

const fileBytes = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) & 0xff)

describe('uploadLargeFile over HTTP', () => {
  const { server, state } = largeUploadServer()
  let baseUrl: string

  beforeAll(async () => {
    await new Promise<void>((r) => (server as Server).listen(0, '127.0.0.1', r))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  beforeEach(() => {
    state.parts.clear()
    state.requests.length = 0
    state.dropParts = []
    state.completed = undefined
  })

  const client = () => createWorkerClient({ baseUrl, getKey: vi.fn(async () => KEY_A) })

  it('sends every part as a slice of the file, sends a dropped part again, and completes', async () => {
    const bytes = fileBytes(3500)
    state.dropParts = [2]
    const progress: number[] = []
    const created: string[] = []
    const result = await client().uploadLargeFile(
      SESSION,
      { blob: new Blob([bytes], { type: 'video/mp4' }), name: 'trip.mp4' },
      {
        onProgress: (loaded) => progress.push(loaded),
        onCreated: (id) => created.push(id),
        retryDelayMs: () => 1,
      },
    )
    expect(result.files[0]?.filename).toBe('trip.mp4')
    expect(created).toEqual([UPLOAD_ID])
    expect(new Uint8Array(state.completed!)).toEqual(bytes)
    expect(
      state.requests.filter((r) => r.startsWith('PUT')).map((r) => r.split('/').at(-1)),
    ).toEqual(['1', '2', '2', '3', '4'])
    expect(progress.at(-1)).toBe(3500)
    expect(progress.every((p, i) => i === 0 || p >= 0)).toBe(true)
  })

  it('gives up on a part after its attempts, then resumes with the upload id and sends only what is missing', async () => {
    const bytes = fileBytes(2500)
    const file = { blob: new Blob([bytes], { type: 'video/mp4' }), name: 'talk.mp4' }
    state.dropParts = [2, 2]
    const failed = await client()
      .uploadLargeFile(SESSION, file, { partAttempts: 2, retryDelayMs: () => 1 })
      .catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(ApiRequestError)
    expect(state.completed).toBeUndefined()
    state.requests.length = 0

    const result = await client().uploadLargeFile(SESSION, file, { resumeUploadId: UPLOAD_ID })
    expect(result.applied).toBe(true)
    expect(
      state.requests.filter((r) => r.startsWith('PUT')).map((r) => r.split('/').at(-1)),
    ).toEqual(['2', '3'])
    expect(state.requests).not.toContain(`POST ${paths.largeUploads(SESSION)}`)
    expect(new Uint8Array(state.completed!)).toEqual(bytes)
  })
})
