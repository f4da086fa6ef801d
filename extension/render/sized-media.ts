import type { Drawable, FrameSize, MediaLibrary } from '../preview/types.ts'

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
 * The export's media library: the page's library, with each picture scaled down once to what the
 * frame can show. The compositor draws it exactly as before (same geometry, from the same width
 * and height ratio), but a 12-megapixel photo is no longer resampled on the CPU for every one of
 * its frames, which costs more than encoding them. The still the tests compare with uses this too.
 */
export function sizedForFrame(media: MediaLibrary, frame: FrameSize): MediaLibrary {
  const images = new Map<string, Promise<Drawable | undefined>>()
  const made: ImageBitmap[] = []
  async function shrink(d: Drawable | undefined): Promise<Drawable | undefined> {
    const size = d?.width && d.height ? shrunkSize(d.width, d.height, frame) : undefined
    if (!d || !size) return d
    try {
      const bitmap = await createImageBitmap(d.source as ImageBitmapSource, {
        resizeWidth: size.width,
        resizeHeight: size.height,
        resizeQuality: 'high',
      })
      made.push(bitmap)
      return { source: bitmap, ...size }
    } catch {
      return d
    }
  }
  return {
    image(url) {
      let p = images.get(url)
      if (!p) images.set(url, (p = media.image(url).then(shrink)))
      return p
    },
    videoFrame: (url, sourceMs, opts) => media.videoFrame(url, sourceMs, opts),
    pause: (url) => media.pause(url),
    audioBytes: (url) => media.audioBytes(url),
    failure: (url) => media.failure(url),
    failures: () => media.failures(),
    subscribe: (cb) => media.subscribe(cb),
    dispose() {
      for (const b of made) b.close()
      media.dispose()
    },
  }
}
