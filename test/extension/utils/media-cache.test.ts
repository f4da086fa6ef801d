import { describe, expect, it } from 'vitest'
import { previewFetch, withMediaCache } from '../../../extension/preview/worker-media.ts'
import { createMediaCache } from '../../../extension/utils/media-cache.ts'

let dbs = 0
/** A cache on a database of its own, with a clock the test moves. */
function cacheOf(maxBytes: number) {
  let clock = 1000
  const cache = createMediaCache({
    dbName: `media-cache-test-${++dbs}`,
    maxBytes,
    now: () => clock,
  })
  return { cache, tick: () => (clock += 1000) }
}

const bytes = (n: number, fill: number) =>
  new Blob([new Uint8Array(n).fill(fill)], { type: 'image/png' })

/** A network stand-in that counts its calls and answers a blob per URL (or fails). */
function network(sizes: Record<string, number>) {
  const calls: string[] = []
  const fetch = async (url: string) => {
    calls.push(url)
    const n = sizes[url]
    if (n === undefined) throw new Error(`404 ${url}`)
    return bytes(n, n % 251)
  }
  return { calls, fetch }
}

/** Lets the cache's background write (after a miss) finish. */
const settle = () => new Promise((r) => setTimeout(r, 50))

describe('media cache', () => {
  it('goes to the network on a miss, keeps the bytes, and answers from them next time', async () => {
    const { cache } = cacheOf(10_000)
    const net = network({ 'https://b.test/a.png': 300 })
    const get = previewFetch(
      withMediaCache({ localBlob: async () => undefined, remote: net.fetch }, cache),
    )
    const first = await get('https://b.test/a.png')
    await settle()
    const second = await get('https://b.test/a.png')
    expect(net.calls).toEqual(['https://b.test/a.png'])
    expect(second.type).toBe('image/png')
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(
      new Uint8Array(await first.arrayBuffer()),
    )
    expect(await cache.totalBytes()).toBe(300)
  })

  it('does not keep a failure: the next call goes to the network again', async () => {
    const { cache } = cacheOf(10_000)
    const net = network({})
    const get = previewFetch(
      withMediaCache({ localBlob: async () => undefined, remote: net.fetch }, cache),
    )
    await expect(get('https://b.test/gone.png')).rejects.toMatchObject({ reason: 'network' })
    await settle()
    await expect(get('https://b.test/gone.png')).rejects.toMatchObject({ reason: 'network' })
    expect(net.calls).toEqual(['https://b.test/gone.png', 'https://b.test/gone.png'])
    expect(await cache.totalBytes()).toBe(0)
  })

  it("never copies the tray's own bytes: they win, and nothing is fetched or kept", async () => {
    const { cache } = cacheOf(10_000)
    const net = network({ 'https://b.test/tray.png': 300 })
    const mine = bytes(120, 7)
    const get = previewFetch(
      withMediaCache(
        { localBlob: async (u) => (u.endsWith('tray.png') ? mine : undefined), remote: net.fetch },
        cache,
      ),
    )
    expect(await get('https://b.test/tray.png')).toBe(mine)
    await settle()
    expect(net.calls).toEqual([])
    expect(await cache.totalBytes()).toBe(0)
  })

  it('lets the least recently used files go once the total passes its bound in bytes', async () => {
    const { cache, tick } = cacheOf(1000)
    await cache.put('https://b.test/1', bytes(400, 1))
    tick()
    await cache.put('https://b.test/2', bytes(400, 2))
    tick()
    // 1 is used again: 2 is now the least recently used.
    expect(await cache.get('https://b.test/1')).toBeDefined()
    await settle()
    tick()
    await cache.put('https://b.test/3', bytes(400, 3))
    expect(await cache.get('https://b.test/2')).toBeUndefined()
    expect((await cache.get('https://b.test/1'))?.size).toBe(400)
    expect((await cache.get('https://b.test/3'))?.size).toBe(400)
    expect(await cache.totalBytes()).toBe(800)
  })

  it('never keeps a file larger than the whole bound, nor lets it push the others out', async () => {
    const { cache } = cacheOf(1000)
    await cache.put('https://b.test/small', bytes(500, 1))
    await cache.put('https://b.test/huge', bytes(1500, 2))
    expect(await cache.get('https://b.test/huge')).toBeUndefined()
    expect((await cache.get('https://b.test/small'))?.size).toBe(500)
  })
})
