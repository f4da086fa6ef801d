import type {
  Drawable,
  FrameRequest,
  MediaFailure,
  MediaFailureReason,
  MediaLibrary,
} from './types.ts'
import { whenFrameDrawable } from './video-frame.ts'

/** A fetch that failed for a reason the player can name. */
export class MediaFetchError extends Error {
  readonly reason: MediaFailureReason
  constructor(reason: MediaFailureReason, message: string = reason) {
    super(message)
    this.name = 'MediaFetchError'
    this.reason = reason
  }
}

/** Gets a URL's bytes: tray blobs from the extension's own store, the rest through the worker. */
export type FetchMedia = (url: string) => Promise<Blob>

/**
 * Turns an image's bytes into what the compositor draws. The default decodes it whole; the
 * export passes one that scales each picture to its frame and lets the full decode go.
 */
export type DecodeImage = (blob: Blob) => Promise<Drawable>

const decodeWhole: DecodeImage = async (blob) => {
  const bitmap = await createImageBitmap(blob)
  return { source: bitmap, width: bitmap.width, height: bitmap.height }
}

/** A video that drifted this far from where it should be while playing is seeked back. */
const DRIFT_S = 0.25
/** A paused (non-exact) frame this close to the wanted time is good enough for a preview. */
const NEAR_S = 0.04
const LOAD_TIMEOUT_MS = 20_000
/** How long an exact seek waits for its frame to be presented before drawing anyway. */
const FRAME_WAIT_MS = 120
/**
 * How long a loaded video waits for its first frame to be drawable (see video-frame.ts) before it
 * is used all the same: only when `loadeddata` came without one, and only until it comes. A
 * browser's first decoder of a page took 230-830 ms for it, the next ones 15-60 ms.
 */
const FIRST_FRAME_WAIT_MS = 1000

interface VideoEntry {
  el: HTMLVideoElement
  ready: Promise<boolean>
  /** Seeks run one after another on one element; each waits for the one before. */
  queue: Promise<unknown>
}

/**
 * The media of a page context (popup, side panel, offscreen document): each URL fetched once as a
 * blob, images decoded to bitmaps, videos in muted `<video>` elements seeked on demand. Every
 * failure is remembered per URL with its reason; nothing here ever rejects.
 */
export function createMediaLibrary(
  fetchMedia: FetchMedia,
  opts: { decodeImage?: DecodeImage } = {},
): MediaLibrary {
  const decodeImage = opts.decodeImage ?? decodeWhole
  const blobs = new Map<string, Promise<Blob | undefined>>()
  const images = new Map<string, Promise<Drawable | undefined>>()
  const videos = new Map<string, VideoEntry>()
  const objectUrls: string[] = []
  const failed = new Map<string, MediaFailure>()
  const listeners = new Set<() => void>()
  let disposed = false

  const notify = () => {
    for (const cb of listeners) cb()
  }
  const fail = (url: string, reason: MediaFailureReason) => {
    if (!failed.has(url)) failed.set(url, { url, reason })
    notify()
    return undefined
  }

  function blobOf(url: string): Promise<Blob | undefined> {
    let p = blobs.get(url)
    if (!p) {
      p = fetchMedia(url).then(
        (blob) => blob,
        (err: unknown) => fail(url, err instanceof MediaFetchError ? err.reason : 'network'),
      )
      blobs.set(url, p)
    }
    return p
  }

  function image(url: string): Promise<Drawable | undefined> {
    let p = images.get(url)
    if (!p) {
      p = blobOf(url).then(async (blob) => {
        if (!blob) return undefined
        try {
          const drawable = await decodeImage(blob)
          notify()
          return drawable
        } catch {
          return fail(url, 'unsupported')
        }
      })
      images.set(url, p)
    }
    return p
  }

  function video(url: string): VideoEntry {
    let entry = videos.get(url)
    if (entry) return entry
    const el = document.createElement('video')
    el.muted = true
    el.playsInline = true
    el.preload = 'auto'
    el.crossOrigin = 'anonymous'
    const ready = blobOf(url).then((blob) => {
      if (!blob || disposed) return false
      const src = URL.createObjectURL(blob)
      objectUrls.push(src)
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false, 'timeout'), LOAD_TIMEOUT_MS)
        let settled = false
        const done = (ok: boolean, reason?: MediaFailureReason) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          el.onloadeddata = el.onerror = null
          if (!ok) fail(url, reason ?? 'unsupported')
          else notify()
          resolve(ok)
        }
        // `loadeddata` can come before the first frame is drawable: a still drawn then (the
        // player's first, at 0 s, needs no seek) would be black, and nothing would draw it again.
        el.onloadeddata = () => {
          el.onloadeddata = null
          void whenFrameDrawable(el, {
            waitMs: FIRST_FRAME_WAIT_MS,
            late: notify,
            giveUpMs: LOAD_TIMEOUT_MS,
            gone: () => disposed,
          }).then(() => done(true))
        }
        el.onerror = () => done(false, 'unsupported')
        el.src = src
      })
    })
    entry = { el, ready, queue: ready }
    videos.set(url, entry)
    return entry
  }

  /** Resolves on `event` (or after `ms`, so a stuck decoder never stalls an export). */
  function once(el: HTMLVideoElement, event: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms)
      function finish() {
        clearTimeout(timer)
        el.removeEventListener(event, finish)
        resolve()
      }
      el.addEventListener(event, finish)
    })
  }

  /**
   * Seeks and waits until the frame at `s` is decoded: 'seeked' alone can come before the new
   * frame is current, so also wait for the current data and, where the browser has it, for the
   * frame callback (short bound: a paused element may not present again).
   */
  async function seek(el: HTMLVideoElement, s: number, exact: boolean): Promise<void> {
    const seeked = once(el, 'seeked', LOAD_TIMEOUT_MS)
    const presented =
      exact && 'requestVideoFrameCallback' in el
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, FRAME_WAIT_MS)
            el.requestVideoFrameCallback(() => {
              clearTimeout(timer)
              resolve()
            })
          })
        : Promise.resolve()
    el.currentTime = s
    await seeked
    if (el.readyState < HTMLMediaElement.HAVE_CURRENT_DATA)
      await once(el, 'canplay', LOAD_TIMEOUT_MS)
    await presented
  }

  async function videoFrame(url: string, sourceMs: number, req: FrameRequest = {}) {
    const entry = video(url)
    if (!(await entry.ready)) return undefined
    const { el } = entry
    const end = Number.isFinite(el.duration) ? Math.max(0, el.duration - 0.001) : Infinity
    const s = Math.min(Math.max(0, sourceMs / 1000), end)
    const run = entry.queue.then(async () => {
      const off = Math.abs(el.currentTime - s)
      if (req.playing && !req.exact) {
        if (off > DRIFT_S || el.ended) await seek(el, s, false)
        if (el.paused && s < end) await el.play().catch(() => {})
      } else {
        if (!el.paused) el.pause()
        if (req.exact ? off > 0.0005 : off > NEAR_S) await seek(el, s, !!req.exact)
      }
    })
    entry.queue = run.catch(() => {})
    await entry.queue
    return { source: el, width: el.videoWidth, height: el.videoHeight }
  }

  return {
    image,
    videoFrame,
    async audioBytes(url) {
      const blob = await blobOf(url)
      return blob ? blob.arrayBuffer() : undefined
    },
    pause(url) {
      const entry = videos.get(url)
      if (entry && !entry.el.paused) entry.el.pause()
    },
    failure: (url) => failed.get(url),
    failures: () => [...failed.values()],
    subscribe(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    dispose() {
      disposed = true
      for (const { el } of videos.values()) {
        el.pause()
        el.removeAttribute('src')
        el.load()
      }
      for (const u of objectUrls) URL.revokeObjectURL(u)
      for (const p of images.values())
        void p.then((d) => (d?.source as ImageBitmap | undefined)?.close?.())
      listeners.clear()
    },
  }
}
