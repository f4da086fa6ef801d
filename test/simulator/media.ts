import { extensionOf, mediaFormatOf, mediaKindOf } from '../../shared/media.ts'
import { MEDIA_BASE64 } from './assets/media.ts'
import { hashString } from './prng.ts'

/** Where the real backend's drafts point at its CDN; the simulator serves that CDN itself. */
export const CDN_ORIGIN = 'https://cdn.nemovideo.ai'

const PICTURES = ['red.jpg', 'green.jpg', 'blue.jpg'] as const
const TYPES: Record<string, string> = { jpg: 'image/jpeg', mp3: 'audio/mpeg', mp4: 'video/mp4' }
const cache = new Map<string, Uint8Array>()

function bytesOf(asset: string): Uint8Array {
  let bytes = cache.get(asset)
  if (!bytes) {
    bytes = Uint8Array.from(atob(MEDIA_BASE64[asset] ?? ''), (ch) => ch.charCodeAt(0))
    cache.set(asset, bytes)
  }
  return bytes
}

/**
 * The file the simulator serves for a media path (`/cdn/<hash>/<name>` of an upload, `/stock/…`):
 * by the name's kind, a picture chosen by the path (so different uploads look different), the
 * music loop or the clip. Undefined for a name of no media kind.
 */
export function mediaFile(path: string): { bytes: Uint8Array; type: string } | undefined {
  const format = mediaFormatOf(decodeURIComponent(path))
  if (!format) return undefined
  const kind = mediaKindOf(format)
  const asset =
    kind === 'video'
      ? 'clip.mp4'
      : kind === 'audio'
        ? 'music.mp3'
        : (PICTURES[hashString(path) % PICTURES.length] as string)
  return {
    bytes: bytesOf(asset),
    type: TYPES[extensionOf(asset) ?? ''] ?? 'application/octet-stream',
  }
}

/** A draft as the state answers it: CDN links point at this simulator's own origin. */
export function withMediaOrigin<T>(draft: T, origin: string): T {
  return JSON.parse(JSON.stringify(draft).replaceAll(`${CDN_ORIGIN}/`, `${origin}/`)) as T
}
