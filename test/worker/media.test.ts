import { describe, it } from 'vitest'
import { ProjectState } from '../../shared/api/state.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { isAllowedHop, mayFetch, namedUrls } from '../../worker/media/named-urls.ts'
import { SIM_ORIGIN, api, bytes, logOf, multipart, openSession, register, sim } from './helpers.ts'

/** A project whose draft names an uploaded picture and clip (served by the simulator's CDN). */
async function projectWithMedia() {
  const { key } = await register()
  const sessionId = await openSession(key)
  const { body, contentType } = multipart([
    { name: 'beach.jpg', type: 'image/jpeg', bytes: bytes(3000) },
    { name: 'waves.mp4', type: 'video/mp4', bytes: bytes(9000) },
  ])
  const up = await api(
    `/v1/sessions/${sessionId}/uploads`,
    { method: 'POST', body, headers: { 'Content-Type': contentType } },
    key,
  )
  if (up.status !== 200) throw new Error(`upload answered ${up.status}`)
  const state = ProjectState.parse(
    await (await api(`/v1/sessions/${sessionId}/state`, {}, key)).json(),
  )
  const urls = state.timeline.tracks.flatMap((t) => t.segments.map((s) => s.sourceUrl ?? ''))
  const image = urls.find((u) => u.endsWith('.jpg'))
  const clip = urls.find((u) => u.endsWith('.mp4'))
  if (!image || !clip) throw new Error(`the draft names no picture and clip: ${urls.join(', ')}`)
  return { key, sessionId, image, clip }
}

const mediaPath = (sessionId: string, url: string) =>
  `/v1/sessions/${sessionId}/media?url=${encodeURIComponent(url)}`
const codeOf = async (res: Response) => ErrorEnvelope.parse(await res.json()).error

describe('GET /v1/sessions/{id}/media', () => {
  it('streams a picture the draft names to the session’s owner', async ({ expect }) => {
    const { key, sessionId, image } = await projectWithMedia()
    const res = await api(mediaPath(sessionId, image), {}, key)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const got = new Uint8Array(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(got.length)
    expect([got[0], got[1]]).toEqual([0xff, 0xd8])
  })

  it('is not_found for another installation and unauthorized without a key', async ({ expect }) => {
    const { sessionId, image } = await projectWithMedia()
    const before = logOf('media').length
    const other = await register()
    const res = await api(mediaPath(sessionId, image), {}, other.key)
    expect(res.status).toBe(404)
    expect((await codeOf(res)).code).toBe('not_found')
    expect((await api(mediaPath(sessionId, image))).status).toBe(401)
    expect(logOf('media').length).toBe(before)
  })

  it('refuses every URL the draft does not name, without fetching it: not an open proxy', async ({
    expect,
  }) => {
    const { key, sessionId, image } = await projectWithMedia()
    const before = sim.log.length
    for (const url of [
      `${SIM_ORIGIN}/cdn/00ff/elsewhere.jpg`, // the backend's own host, but not in this draft
      `${SIM_ORIGIN}/api/credits/balance/simple`, // an API path of the backend
      'https://example.com/cat.jpg',
      'http://169.254.169.254/latest/meta-data/',
      `${image}?x=1`,
      'file:///etc/passwd',
    ]) {
      const res = await api(mediaPath(sessionId, url), {}, key)
      expect(res.status, url).toBe(403)
      expect((await codeOf(res)).code).toBe('media_not_allowed')
    }
    // Only the state reads reached the backend, never the refused URLs.
    const after = sim.log.slice(before).map((e) => e.endpoint)
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((e) => e === 'state')).toBe(true)
  })

  it('refuses a file over the size cap before streaming it (413)', async ({ expect }) => {
    const { key, sessionId, clip } = await projectWithMedia()
    const res = await api(mediaPath(sessionId, clip), {}, key)
    expect(res.status).toBe(413)
    const error = await codeOf(res)
    expect(error.code).toBe('media_too_large')
    expect(error.params?.limitBytes).toBe(12000)
    expect(error.message).toContain('preview')
  })

  it('gives up on a media host that does not answer in time (504)', async ({ expect }) => {
    const { key, sessionId, image } = await projectWithMedia()
    sim.control.fault({ kind: 'slow', endpoint: 'media', delayMs: 4000 })
    const res = await api(mediaPath(sessionId, image), {}, key)
    expect(res.status).toBe(504)
    expect((await codeOf(res)).code).toBe('media_timeout')
  })

  it('says what the media host answered when it fails (502 with its status)', async ({
    expect,
  }) => {
    const { key, sessionId, image } = await projectWithMedia()
    sim.control.fault({ kind: 'http', endpoint: 'media', status: 404 })
    const res = await api(mediaPath(sessionId, image), {}, key)
    expect(res.status).toBe(502)
    const error = await codeOf(res)
    expect(error.code).toBe('media_fetch_failed')
    expect(error.params?.httpStatus).toBe(404)
  })

  it('refuses what is not a picture, video or sound (415 with its type)', async ({ expect }) => {
    const { key, sessionId, image } = await projectWithMedia()
    // The media host answers 200 with a JSON body instead of the picture.
    sim.control.fault({ kind: 'malformed-json', endpoint: 'media' })
    const res = await api(mediaPath(sessionId, image), {}, key)
    expect(res.status).toBe(415)
    const error = await codeOf(res)
    expect(error.code).toBe('media_unsupported_type')
    expect(error.params?.contentType).toBe('application/json')
  })
})

describe('which media URLs the worker will fetch', () => {
  const backend = 'http://127.0.0.1:8788'

  it('collects every http(s) URL a draft names, whatever its shape', ({ expect }) => {
    const named = namedUrls({
      t: [
        {
          sg: [
            { url: 'https://cdn.example.com/a.jpg' },
            { src: { href: 'http://x.example.org/b.mp4' } },
          ],
        },
      ],
      m: { cover: 'https://cdn.example.com/c.png', note: 'not a url', local: 'file:///etc/passwd' },
    })
    expect([...named].sort()).toEqual([
      'http://x.example.org/b.mp4',
      'https://cdn.example.com/a.jpg',
      'https://cdn.example.com/c.png',
    ])
  })

  it('fetches only named URLs on public hosts or the backend’s own origin; redirects only to such hosts', ({
    expect,
  }) => {
    const named = new Set([
      'https://cdn.example.com/a.jpg',
      `${backend}/cdn/1/b.jpg`,
      'http://10.0.0.5/c.jpg',
      'https://user:pw@cdn.example.com/d.jpg',
    ])
    expect(mayFetch('https://cdn.example.com/a.jpg', named, backend)).toBe(true)
    expect(mayFetch(`${backend}/cdn/1/b.jpg`, named, backend)).toBe(true)
    // Named, but a private address that is not the backend: refused.
    expect(mayFetch('http://10.0.0.5/c.jpg', named, backend)).toBe(false)
    expect(mayFetch('https://user:pw@cdn.example.com/d.jpg', named, backend)).toBe(false)
    // Public, but not named by the draft.
    expect(mayFetch('https://cdn.example.com/other.jpg', named, backend)).toBe(false)
    // A redirect's hop: the same host rule, without being named.
    expect(isAllowedHop('https://storage.example.net/a.jpg?sig=1', backend)).toBe(true)
    expect(isAllowedHop('http://169.254.169.254/latest/meta-data/', backend)).toBe(false)
    expect(isAllowedHop('http://localhost:8787/v1/credits', backend)).toBe(false)
  })
})
