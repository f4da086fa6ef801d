import { extensionOf } from '../../shared/media.ts'
import { absolute, imageUrls, normalizeUrl, type ResolvedImage } from './image-candidates.ts'

/** One image the picker offers. */
export interface PageImage extends ResolvedImage {
  source: 'img' | 'background'
}

export interface FindOptions {
  /** Smaller than this (rendered, natural or declared, either side) is an icon or a pixel. */
  minSide?: number
  /** Upper bound on elements whose computed style is read for background images. */
  maxStyleScan?: number
  /** Only `<img>` elements this accepts (an article's own images); background images are skipped. */
  within?: (img: HTMLImageElement) => boolean
}

const SKIP_EXT = new Set(['ico', 'svg', 'svgz', 'cur', 'bmp', 'avif', 'tif', 'tiff'])
/** Whole file or folder names used by trackers, spacers and sprite sheets (not "pixel-art.jpg"). */
const TRACKER =
  /\/(pixel|spacer|blank|beacon|tracking|tracker|1x1|transparent|clear|sprites?|[\w-]*-sprites?)(\.[a-z0-9]+)?(\/|$)/i
const TRACKER_QUERY = /^\/(tr|collect|b|p)$/i

/** Whether a URL can stand for a content image at all (scheme, format, tracker-ish name). */
export function isCandidateUrl(url: string): boolean {
  if (url.startsWith('data:'))
    return /^data:image\/(jpe?g|png|gif|webp)[;,]/i.test(url) && url.length >= 512
  if (url.startsWith('blob:')) return true
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false
  const ext = extensionOf(u.pathname)
  if (ext && SKIP_EXT.has(ext)) return false
  return !TRACKER.test(u.pathname) && !(u.search && TRACKER_QUERY.test(u.pathname))
}

/** Largest known size of an element: rendered, natural (images) or declared in attributes. */
function sizeOf(el: Element, win: Window): { width: number; height: number } {
  const rect = el.getBoundingClientRect()
  const img = el as HTMLImageElement
  const width = Math.max(rect.width, img.naturalWidth || 0, Number(el.getAttribute('width')) || 0)
  const height = Math.max(
    rect.height,
    img.naturalHeight || 0,
    Number(el.getAttribute('height')) || 0,
  )
  if (width || height) return { width, height }
  // Nothing rendered yet (lazy, hidden): fall back to the declared CSS size, if any.
  const style = win.getComputedStyle(el)
  return { width: parseFloat(style.width) || 0, height: parseFloat(style.height) || 0 }
}

function tooSmall({ width, height }: { width: number; height: number }, min: number): boolean {
  return (width > 0 && width < min) || (height > 0 && height < min)
}

/** URLs in a CSS `background-image` value (`url()`, `image-set()`); the last is usually the largest. */
export function cssImageUrls(value: string, baseUrl: string): string[] {
  const urls: string[] = []
  for (const m of value.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/g)) {
    const u = absolute(m[2] ?? '', baseUrl)
    if (u) urls.push(u)
  }
  return urls
}

/**
 * The page's real images, de-duplicated by normalised URL, in document order: `<img>` (largest
 * srcset / `<picture>` source / lazy data-* candidate) and CSS background images of elements
 * big enough to be content, leaving out icons, tracking pixels and unsupported formats.
 */
export function findPageImages(doc: Document, win: Window, opts: FindOptions = {}): PageImage[] {
  const minSide = opts.minSide ?? 64
  const maxStyleScan = opts.maxStyleScan ?? 1500
  const base = doc.baseURI
  const found = new Map<string, PageImage>()
  const add = (img: PageImage) => {
    if (!isCandidateUrl(img.url)) return
    const key = normalizeUrl(img.url)
    const prev = found.get(key)
    if (!prev) found.set(key, img)
    else if ((img.width ?? 0) > (prev.width ?? 0))
      found.set(key, { ...img, url: prev.url, alt: prev.alt || img.alt })
  }

  for (const img of Array.from(doc.querySelectorAll('img'))) {
    if (opts.within && !opts.within(img)) continue
    const size = sizeOf(img, win)
    if (tooSmall(size, minSide)) continue
    const url = imageUrls(img, base).find(isCandidateUrl)
    if (!url) continue
    add({
      url,
      alt: (img.alt || img.title || '').trim().slice(0, 300),
      width: size.width || undefined,
      height: size.height || undefined,
      source: 'img',
    })
  }

  const scanned = opts.within ? [] : Array.from(doc.body?.querySelectorAll('*') ?? [])
  const elements = scanned.slice(0, maxStyleScan)
  for (const el of elements) {
    if (el.tagName === 'IMG' || el.tagName === 'PICTURE' || el.tagName === 'SOURCE') continue
    const inline = (el as HTMLElement).style?.backgroundImage ?? ''
    const value = inline && inline !== 'none' ? inline : win.getComputedStyle(el).backgroundImage
    if (!value || value === 'none' || !value.includes('url(')) continue
    const size = sizeOf(el, win)
    if (tooSmall(size, minSide) || (size.width === 0 && size.height === 0)) continue
    const url = cssImageUrls(value, base).reverse().find(isCandidateUrl)
    if (!url) continue
    add({
      url,
      alt: (el.getAttribute('aria-label') ?? el.getAttribute('title') ?? '').trim().slice(0, 300),
      width: size.width || undefined,
      height: size.height || undefined,
      source: 'background',
    })
  }
  return [...found.values()]
}
