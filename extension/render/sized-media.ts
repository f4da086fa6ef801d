import type { DecodeImage } from '../preview/media-library.ts'
import type { FrameSize } from '../preview/types.ts'

/** Head room over the cover size: the compositor zooms pictures in by up to 8 %. */
const MARGIN = 1.25

/** The size a picture needs to cover `frame` (with head room), when that is smaller than it. */
export function shrunkSize(
  width: number,
  height: number,
  frame: FrameSize,
): { width: number; height: number } | undefined {
  const scale = Math.max(frame.width / width, frame.height / height) * MARGIN
  return scale < 1
    ? { width: Math.round(width * scale), height: Math.round(height * scale) }
    : undefined
}

/**
 * The export's way to decode a picture: whole, then scaled once to what the frame can show, and
 * the whole decode closed at once (a 12-megapixel photo is 48 MB decoded; only the frame-sized
 * copy is kept). Decodes run one at a time, so at most one full-size picture exists at any moment
 * however many the draft has. The compositor draws the copy exactly as it would the original (same
 * geometry from the same width and height ratio), and no longer resamples 12 megapixels on the CPU
 * for every frame, which cost more than encoding it. The still the tests compare with uses this too.
 */
export function frameSizedDecoder(frame: FrameSize): DecodeImage {
  let queue: Promise<unknown> = Promise.resolve()
  return (blob) => {
    const run = queue.then(async () => {
      const full = await createImageBitmap(blob)
      const size = shrunkSize(full.width, full.height, frame)
      if (!size) return { source: full, width: full.width, height: full.height }
      let sized: ImageBitmap
      try {
        sized = await createImageBitmap(full, {
          resizeWidth: size.width,
          resizeHeight: size.height,
          resizeQuality: 'high',
        })
      } catch {
        // Scaling refused (out of memory): the whole picture still draws, only slower.
        return { source: full, width: full.width, height: full.height }
      }
      full.close()
      return { source: sized, ...size }
    })
    queue = run.catch(() => {})
    return run
  }
}
