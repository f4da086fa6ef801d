import { describe, it } from 'vitest'
import { UploadResult } from '../../shared/api/uploads.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { api, bytes, json, logOf, multipart, openSession, register, sim } from './helpers.ts'

const LIMIT = 1_048_576 // UPLOAD_MAX_BYTES in test/worker/vitest.config.ts

async function setup() {
  const { key } = await register()
  return { key, sessionId: await openSession(key) }
}

describe('POST /v1/sessions/{id}/uploads (multipart, streamed)', () => {
  it('streams the body to the backend with the same length and boundary', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const { body, contentType } = multipart([
      { name: 'clip.mp4', type: 'video/mp4', bytes: bytes(300_000) },
      { name: 'song.mp3', type: 'audio/mpeg', bytes: bytes(20_000, 3) },
    ])
    const before = sim.log.length
    const res = await api(
      `/v1/sessions/${sessionId}/uploads`,
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      key,
    )
    expect(res.status).toBe(200)
    const result = UploadResult.parse(await res.json())
    expect(result.files.map((f) => [f.filename, f.kind])).toEqual([
      ['clip.mp4', 'video'],
      ['song.mp3', 'audio'],
    ])
    expect(result.applied).toBe(true)

    const [upload] = logOf('upload', before)
    expect(upload?.headers['content-type']).toBe(contentType)
    expect(upload?.headers['content-length']).toBe(String(body.byteLength))
    expect(upload?.uploadBytes).toBe(body.byteLength)
  })

  it('refuses a body over the limit with 413 stating it, before anything goes upstream', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const { body, contentType } = multipart([
      { name: 'big.mp4', type: 'video/mp4', bytes: bytes(LIMIT + 10) },
    ])
    const before = sim.log.length
    const res = await api(
      `/v1/sessions/${sessionId}/uploads`,
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      key,
    )
    expect(res.status).toBe(413)
    const { error } = ErrorEnvelope.parse(await res.json())
    expect(error.code).toBe('upload_too_large')
    expect(error.params?.['limitBytes']).toBe(LIMIT)
    expect(error.message).toContain('1 MB')
    expect(sim.log.length).toBe(before)
  })

  it('requires a Content-Length', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const { body, contentType } = multipart([{ name: 'clip.mp4', bytes: bytes(1000) }])
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body)
        controller.close()
      },
    })
    const before = sim.log.length
    const res = await api(
      `/v1/sessions/${sessionId}/uploads`,
      { method: 'POST', body: stream, headers: { 'Content-Type': contentType } },
      key,
    )
    expect(res.status).toBe(411)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('length_required')
    expect(sim.log.length).toBe(before)
  })

  it('refuses an unsupported file from its part header, before anything goes upstream', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    const { body, contentType } = multipart([
      { name: 'notes.txt', type: 'text/plain', bytes: bytes(5000) },
    ])
    const before = sim.log.length
    const res = await api(
      `/v1/sessions/${sessionId}/uploads`,
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      key,
    )
    expect(res.status).toBe(415)
    const { error } = ErrorEnvelope.parse(await res.json())
    expect(error.code).toBe('unsupported_format')
    expect(error.action?.kind).toBe('formats')
    expect(logOf('upload', before)).toHaveLength(0)
  })

  it('maps the backend’s 4001 and 4002', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const send = async () => {
      const { body, contentType } = multipart([
        { name: 'clip.mp4', type: 'video/mp4', bytes: bytes(2000) },
      ])
      return api(
        `/v1/sessions/${sessionId}/uploads`,
        { method: 'POST', body, headers: { 'Content-Type': contentType } },
        key,
      )
    }
    sim.control.fault({ kind: 'code', endpoint: 'upload', code: 4002 })
    const tooLarge = await send()
    expect(tooLarge.status).toBe(413)
    expect(ErrorEnvelope.parse(await tooLarge.json()).error).toMatchObject({
      code: 'file_too_large',
      action: { kind: 'compress' },
    })
    sim.control.fault({ kind: 'code', endpoint: 'upload', code: 4001 })
    const unsupported = await send()
    expect(unsupported.status).toBe(415)
    expect(ErrorEnvelope.parse(await unsupported.json()).error.code).toBe('unsupported_format')
  })

  it('is not_found for another installation’s session', async ({ expect }) => {
    const { sessionId } = await setup()
    const other = await register()
    const { body, contentType } = multipart([{ name: 'clip.mp4', bytes: bytes(1000) }])
    const before = sim.log.length
    const res = await api(
      `/v1/sessions/${sessionId}/uploads`,
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      other.key,
    )
    expect(res.status).toBe(404)
    expect(logOf('upload', before)).toHaveLength(0)
  })

  it('requires a multipart body', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const res = await api(`/v1/sessions/${sessionId}/uploads`, json('POST', { files: [] }), key)
    expect(res.status).toBe(400)
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('invalid_request')
  })
})

describe('POST /v1/sessions/{id}/uploads/urls', () => {
  it('hands public http(s) URLs to the backend', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const urls = ['https://images.example.com/a/photo.jpg', 'http://93.184.216.34/clip.mp4']
    const before = sim.log.length
    const res = await api(`/v1/sessions/${sessionId}/uploads/urls`, json('POST', { urls }), key)
    expect(res.status).toBe(200)
    const result = UploadResult.parse(await res.json())
    expect(result.files.map((f) => f.filename)).toEqual(['photo.jpg', 'clip.mp4'])
    expect(logOf('upload', before)[0]?.body).toEqual({ urls, source_type: 'url' })
  })

  it('refuses private, loopback and local hosts with url_not_allowed', async ({ expect }) => {
    const { key, sessionId } = await setup()
    const refused = [
      'http://localhost/a.jpg',
      'http://127.0.0.1/a.jpg',
      'http://2130706433/a.jpg',
      'http://10.1.2.3/a.jpg',
      'http://172.16.0.1/a.jpg',
      'http://172.31.255.255/a.jpg',
      'http://192.168.1.1/a.jpg',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/a.jpg',
      'http://[fc00::1]/a.jpg',
      'http://[fd12:3456::1]/a.jpg',
      'http://[fe80::1]/a.jpg',
      'http://[::ffff:127.0.0.1]/a.jpg',
      'http://printer.local/a.jpg',
      'http://metadata.google.internal/a.jpg',
      'http://intranet/a.jpg',
      'http://0.0.0.0/a.jpg',
    ]
    const before = sim.log.length
    for (const url of refused) {
      const res = await api(
        `/v1/sessions/${sessionId}/uploads/urls`,
        json('POST', { urls: ['https://ok.example.com/x.png', url] }),
        key,
      )
      expect(res.status, url).toBe(400)
      const { error } = ErrorEnvelope.parse(await res.json())
      expect(error.code, url).toBe('url_not_allowed')
      expect(error.params?.['index']).toBe(1)
    }
    expect(logOf('upload', before)).toHaveLength(0)
  })

  it('refuses non-http schemes and an empty list as invalid requests', async ({ expect }) => {
    const { key, sessionId } = await setup()
    for (const body of [{ urls: ['file:///etc/passwd'] }, { urls: [] }, {}]) {
      const res = await api(`/v1/sessions/${sessionId}/uploads/urls`, json('POST', body), key)
      expect(res.status).toBe(400)
      const { error } = ErrorEnvelope.parse(await res.json())
      expect(error.code).toBe('invalid_request')
      expect(error.issues?.length).toBeGreaterThan(0)
    }
  })
})

describe('an upload after the backend lost the session (1002)', () => {
  it('renews the session, asks for the file again (a stream is sent once), then works', async ({
    expect,
  }) => {
    const { key, sessionId } = await setup()
    sim.control.dropAllSessions()
    const send = async () => {
      const { body, contentType } = multipart([
        { name: 'clip.mp4', type: 'video/mp4', bytes: bytes(4000) },
      ])
      return api(
        `/v1/sessions/${sessionId}/uploads`,
        { method: 'POST', body, headers: { 'Content-Type': contentType } },
        key,
      )
    }
    const before = sim.log.length
    const lost = await send()
    expect(lost.status).toBe(409)
    expect(ErrorEnvelope.parse(await lost.json()).error).toMatchObject({
      code: 'session_lost',
      action: { kind: 'retry' },
    })
    expect(logOf('session', before)).toHaveLength(1)
    expect(logOf('upload', before)).toHaveLength(1)
    const again = await send()
    expect(again.status).toBe(200)
  })
})
