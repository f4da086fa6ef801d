import { describe, expect, it } from 'vitest'
import {
  call,
  chat,
  newSession,
  ORIGIN,
  readSse,
  SKILL_HEADERS,
  testSimulator,
} from './test-helpers.ts'
import type { Simulator } from './index.ts'

async function setup(sim: Simulator) {
  const { token } = sim.control.createUserToken()
  return { token, sid: await newSession(sim, token) }
}

async function formUpload(
  sim: Simulator,
  token: string,
  sid: string,
  files: Array<[string, BlobPart, string?]>,
) {
  const form = new FormData()
  for (const [name, content, type] of files)
    form.append('files', new Blob([content], { type: type ?? '' }), name)
  form.append('note', 'ignored')
  // Serialised first: undici's own FormData stream throws when its reader is cancelled early.
  const encoded = new Response(form)
  return sim.fetch(
    new Request(`${ORIGIN}/api/upload-video/nemo_agent/me/${sid}`, {
      method: 'POST',
      headers: {
        ...SKILL_HEADERS,
        authorization: `Bearer ${token}`,
        'content-type': encoded.headers.get('content-type') as string,
      },
      body: await encoded.arrayBuffer(),
    }),
  )
}

const encoder = new TextEncoder()
const BOUNDARY = '----simtest7MA4YWxkTrZu0gW'

/** A multipart body with one file of `size` bytes, produced lazily; `pulled()` tells how much was read. */
function lazyMultipart(filename: string, size: number, chunk = 64 * 1024) {
  const head = encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: video/mp4\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${BOUNDARY}--\r\n`)
  const filler = new Uint8Array(chunk).fill(0x2d) // '-' bytes, to tempt a naive boundary search
  let sent = 0
  let pulled = 0
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let piece: Uint8Array
        if (sent === 0) piece = head
        else if (sent - head.length < size)
          piece = filler.subarray(0, Math.min(chunk, size - (sent - head.length)))
        else if (sent === head.length + size) piece = tail
        else return controller.close()
        sent += piece.length
        pulled += piece.length
        controller.enqueue(piece)
      },
    },
    { highWaterMark: 0 },
  )
  return { body, total: head.length + size + tail.length, pulled: () => pulled }
}

function streamUpload(
  sim: Simulator,
  token: string,
  sid: string,
  body: ReadableStream<Uint8Array>,
) {
  return call(sim, `/api/upload-video/nemo_agent/me/${sid}`, {
    token,
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  })
}

describe('uploads', () => {
  it('accepts repeatable multipart files, describes them and applies them to the draft', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    const res = await formUpload(sim, token, sid, [
      ['clip.mp4', new Uint8Array(300_000), 'video/mp4'],
      ['photo.JPG', 'jpegbytes'],
      ['song.mp3', new Uint8Array(50_000)],
    ])
    const body = await res.json()
    expect(body.code).toBe(0)
    expect(body.data.session_state_applied).toBe(true)
    expect(
      body.data.files.map((f: { filename: string; file_type: string }) => [
        f.filename,
        f.file_type,
      ]),
    ).toEqual([
      ['clip.mp4', 'video'],
      ['photo.JPG', 'image'],
      ['song.mp3', 'audio'],
    ])
    for (const f of body.data.files) {
      expect(Object.keys(f).sort()).toEqual([
        'cdn_url',
        'duration',
        'file_type',
        'filename',
        'fps',
        'hash',
        'height',
        'width',
      ])
    }
    const draft = sim.control.draft(sid)
    expect(draft?.t.find((t) => t.tt === 0)?.sg.map((s) => s.nm)).toEqual(['clip.mp4', 'photo.JPG'])
    expect(sim.log.at(-1)?.uploadBytes).toBeGreaterThan(350_000)
  })

  it('builds the next generated video from the uploaded media', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    await formUpload(sim, token, sid, [
      ['a.png', 'x'],
      ['b.webp', 'y'],
    ])
    await readSse(await chat(sim, token, sid, 'make a video'))
    expect(
      sim.control
        .draft(sid)
        ?.t.find((t) => t.tt === 0)
        ?.sg.map((s) => s.nm),
    ).toEqual(['a.png', 'b.webp'])
  })

  it('accepts JSON URLs', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    const res = await call(sim, `/api/upload-video/nemo_agent/me/${sid}`, {
      token,
      json: { urls: ['https://example.com/img/cat.png?x=1'], source_type: 'url' },
    })
    const body = await res.json()
    expect(body.data.files[0]).toMatchObject({ filename: 'cat.png', file_type: 'image' })
  })

  it('refuses an unsupported extension with 4001', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    const res = await formUpload(sim, token, sid, [['notes.txt', 'hello']])
    expect([res.status, (await res.json()).code]).toEqual([400, 4001])
    const url = await call(sim, `/api/upload-video/nemo_agent/me/${sid}`, {
      token,
      json: { urls: ['https://x.test/a.exe'] },
    })
    expect((await url.json()).code).toBe(4001)
  })

  it('answers 4002 as soon as a file passes the limit, before the rest of the body is sent', async () => {
    const sim = testSimulator({ maxFileBytes: 1024 * 1024 })
    const { token, sid } = await setup(sim)
    const upload = lazyMultipart('big.mp4', 50 * 1024 * 1024)
    const res = await streamUpload(sim, token, sid, upload.body)
    expect([res.status, (await res.json()).code]).toEqual([413, 4002])
    expect(upload.pulled()).toBeLessThan(2 * 1024 * 1024)
    expect(sim.log.at(-1)?.uploadBytes).toBeLessThan(2 * 1024 * 1024)
  })

  it('reads a 50 MB body as a stream and counts every byte', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    const upload = lazyMultipart('long.mp4', 50 * 1024 * 1024, 1024 * 1024)
    const res = await streamUpload(sim, token, sid, upload.body)
    const body = await res.json()
    expect(body.code).toBe(0)
    expect(sim.log.at(-1)?.uploadBytes).toBe(upload.total)
    expect(body.data.files[0].hash).toMatch(/3200000$/)
  })

  it('answers 1002 for an unknown session and 400 without files', async () => {
    const sim = testSimulator()
    const { token, sid } = await setup(sim)
    const unknown = await formUpload(sim, token, '1000000000000000000', [['a.png', 'x']])
    expect((await unknown.json()).code).toBe(1002)
    const empty = await formUpload(sim, token, sid, [])
    expect(empty.status).toBe(400)
  })
})
