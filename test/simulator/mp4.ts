import { MP4_BASE64 } from './assets/mp4s.ts'

export const PRESETS = [
  { width: 1920, height: 1080 },
  { width: 1080, height: 1920 },
  { width: 1080, height: 1080 },
] as const

/** The preset closest to a frame size by aspect ratio (then by area). */
export function nearestPreset(width: number, height: number): { width: number; height: number } {
  const ratio = Math.log((width || 1920) / (height || 1080))
  return [...PRESETS].sort(
    (a, b) =>
      Math.abs(Math.log(a.width / a.height) - ratio) -
        Math.abs(Math.log(b.width / b.height) - ratio) ||
      Math.abs(a.width * a.height - width * height) - Math.abs(b.width * b.height - width * height),
  )[0] as { width: number; height: number }
}

const cache = new Map<string, Uint8Array>()

/** The bytes of the generated MP4 of a preset size. */
export function mp4Bytes(width: number, height: number): Uint8Array {
  const key = `${width}x${height}`
  let bytes = cache.get(key)
  if (!bytes) {
    const b64 = MP4_BASE64[key]
    if (!b64) throw new Error(`no MP4 asset for ${key}`)
    bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
    cache.set(key, bytes)
  }
  return bytes
}

/** The file as a stream of small chunks, like a download would arrive. */
export function mp4Stream(bytes: Uint8Array, chunk = 1024): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(at, at + chunk))
      at += chunk
    },
  })
}
