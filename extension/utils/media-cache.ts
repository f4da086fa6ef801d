/**
 * The preview's copy of media bytes it fetched through the worker, in IndexedDB, so a returning
 * user's popup draws its first frame without the network. Keyed by URL: the backend's media URLs
 * name immutable files. Bounded by total bytes, least recently used first out. Tray images read
 * locally never come here (they are local already); a failed fetch is never stored.
 * @module
 */

/** What the cache keeps before it lets the least recently used files go. */
export const MEDIA_CACHE_MAX_BYTES = 200 * 1024 * 1024

const BYTES = 'bytes'
const META = 'meta'

/** Bytes plus type: every engine clones an ArrayBuffer, not every one a Blob. */
interface StoredBytes {
  type: string
  bytes: ArrayBuffer
}

/** What eviction reads: no bytes, so a scan of hundreds of files stays cheap. */
interface Meta {
  url: string
  size: number
  usedAt: number
}

export interface MediaCacheOptions {
  /** The IndexedDB database (tests use one each). */
  dbName?: string
  maxBytes?: number
  /** The clock of "recently used" (tests); `Date.now` by default. */
  now?: () => number
}

export interface MediaCache {
  /** Opens the database ahead of the first read (a returning user's first frame). Never rejects. */
  open(): Promise<void>
  /** The bytes kept for `url`, marking it used; undefined on a miss or any storage error. */
  get(url: string): Promise<Blob | undefined>
  /** Keeps `blob` for `url`, then lets the oldest go past the byte bound. Never rejects. */
  put(url: string, blob: Blob): Promise<void>
  /** The bytes kept now (for tests and diagnostics). */
  totalBytes(): Promise<number>
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

/** A media cache on its own database (not the tray's: each owns its schema version). */
export function createMediaCache(opts: MediaCacheOptions = {}): MediaCache {
  const dbName = opts.dbName ?? 'pagereel-media'
  const maxBytes = opts.maxBytes ?? MEDIA_CACHE_MAX_BYTES
  const now = opts.now ?? Date.now
  let opening: Promise<IDBDatabase> | undefined

  function db(): Promise<IDBDatabase> {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(dbName, 1)
      req.onupgradeneeded = () => {
        req.result.createObjectStore(BYTES)
        req.result.createObjectStore(META, { keyPath: 'url' })
      }
      req.onsuccess = () => {
        // Another page deleting or upgrading the database is not kept waiting: the next use opens
        // it again.
        req.result.onversionchange = () => {
          req.result.close()
          opening = undefined
        }
        resolve(req.result)
      }
      req.onerror = () => reject(req.error)
    }).catch((err: unknown) => {
      opening = undefined
      throw err
    })
    return opening
  }

  async function get(url: string): Promise<Blob | undefined> {
    try {
      const d = await db()
      const stored = (await request(
        d.transaction(BYTES, 'readonly').objectStore(BYTES).get(url),
      )) as StoredBytes | undefined
      if (!stored || !(stored.bytes instanceof ArrayBuffer)) return undefined
      void touch(d, url).catch(() => undefined)
      return new Blob([stored.bytes], { type: stored.type })
    } catch {
      return undefined
    }
  }

  /** Marks `url` used now (its own transaction: a read never waits for a write). */
  async function touch(d: IDBDatabase, url: string): Promise<void> {
    const tx = d.transaction(META, 'readwrite')
    const store = tx.objectStore(META)
    const read = store.get(url)
    read.onsuccess = () => {
      const meta = read.result as Meta | undefined
      if (meta) store.put({ ...meta, usedAt: now() } satisfies Meta)
    }
    await done(tx)
  }

  /** Drops the least recently used files until the rest fit in `maxBytes`. */
  async function evict(): Promise<void> {
    const tx = (await db()).transaction([BYTES, META], 'readwrite')
    const all = tx.objectStore(META).getAll()
    // Within the request's callback: the transaction is still active there in every engine.
    all.onsuccess = () => {
      const metas = all.result as Meta[]
      let total = metas.reduce((s, m) => s + m.size, 0)
      for (const m of metas.sort((a, b) => a.usedAt - b.usedAt)) {
        if (total <= maxBytes) break
        tx.objectStore(META).delete(m.url)
        tx.objectStore(BYTES).delete(m.url)
        total -= m.size
      }
    }
    await done(tx)
  }

  async function put(url: string, blob: Blob): Promise<void> {
    // A file over the whole bound would only push everything else out, then itself.
    if (blob.size > maxBytes) return
    try {
      const bytes = await blob.arrayBuffer()
      const tx = (await db()).transaction([BYTES, META], 'readwrite')
      tx.objectStore(BYTES).put({ type: blob.type, bytes } satisfies StoredBytes, url)
      tx.objectStore(META).put({ url, size: bytes.byteLength, usedAt: now() } satisfies Meta)
      await done(tx)
      await evict()
    } catch {
      // Full disk or no IndexedDB: the preview works without its copy.
    }
  }

  return {
    open: () =>
      db().then(
        () => undefined,
        () => undefined,
      ),
    get,
    put,
    async totalBytes() {
      const tx = (await db()).transaction(META, 'readonly')
      const metas = (await request(tx.objectStore(META).getAll())) as Meta[]
      return metas.reduce((s, m) => s + m.size, 0)
    },
  }
}
