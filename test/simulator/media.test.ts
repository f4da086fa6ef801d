import { describe, expect, it } from 'vitest'
import { ORIGIN, call, chat, newSession, readSse, testSimulator } from './test-helpers.ts'

/** Every http(s) string anywhere in a JSON value. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : []
  if (Array.isArray(value)) return value.flatMap(urlsIn)
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn)
  return []
}

const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8,
  'audio/mpeg': (b) => (b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) || b[0] === 0xff,
  'video/mp4': (b) => new TextDecoder().decode(b.slice(4, 8)) === 'ftyp',
}

describe('media the drafts name', () => {
  it('are served at the simulator’s own origin, without a token, as real files', async () => {
    const sim = testSimulator({ timeScale: 0.001 })
    const { token } = sim.control.createUserToken()
    const sid = await newSession(sim, token)
    await readSse(await chat(sim, token, sid, 'make a video with music'))
    const state = await (
      await call(sim, `/api/state/nemo_agent/me/${sid}/latest`, { token })
    ).json()
    const { draft } = (state as { data: { state: { draft: unknown } } }).data.state
    const draftUrls = [...new Set(urlsIn(draft))]
    expect(draftUrls.length).toBeGreaterThan(1)
    expect(draftUrls.every((u) => u.startsWith(`${ORIGIN}/`))).toBe(true)
    const types = new Set<string>()
    for (const url of draftUrls) {
      const res = await sim.fetch(new Request(url))
      expect(res.status, url).toBe(200)
      const type = res.headers.get('content-type') ?? ''
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length)
      expect(MAGIC[type]?.(bytes), `${url} as ${type}`).toBe(true)
      types.add(type)
    }
    expect(types).toContain('video/mp4')
    expect(types).toContain('audio/mpeg')
  })

  it('serves a different picture for a different upload, and 404 for a name of no media kind', async () => {
    const sim = testSimulator()
    const get = async (path: string) =>
      new Uint8Array(await (await sim.fetch(new Request(`${ORIGIN}${path}`))).arrayBuffer())
    const a = await get('/cdn/0a/a.jpg')
    const names = ['b.jpg', 'c.png', 'd.webp', 'e.jpg', 'f.jpg']
    const others = await Promise.all(names.map((n) => get(`/cdn/0b/${n}`)))
    expect(others.some((b) => b.length !== a.length || b.some((x, i) => x !== a[i]))).toBe(true)
    expect((await sim.fetch(new Request(`${ORIGIN}/cdn/0a/notes.txt`))).status).toBe(404)
  })
})
