/**
 * Finding a page's real images: pure functions over a `Document`/`Window` passed in, so they run
 * on HTML fixtures in tests exactly as in the page.
 */

export interface SrcsetCandidate {
  url: string
  /** Width descriptor (`800w`), or undefined. */
  w?: number
  /** Density descriptor (`2x`); 1 when there is no descriptor. */
  x?: number
}

/** Parses a `srcset` value the way browsers split it (HTML "parse a srcset attribute", simplified). */
export function parseSrcset(srcset: string, baseUrl: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = []
  let i = 0
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i]!)) i++
    let end = i
    while (end < srcset.length && !/\s/.test(srcset[end]!)) end++
    let raw = srcset.slice(i, end)
    i = end
    let desc = ''
    if (raw.endsWith(',')) raw = raw.replace(/,+$/, '')
    else {
      let depth = 0
      while (i < srcset.length && (depth > 0 || srcset[i] !== ',')) {
        if (srcset[i] === '(') depth++
        if (srcset[i] === ')') depth--
        desc += srcset[i]
        i++
      }
    }
    const url = raw && absolute(raw, baseUrl)
    if (!url) continue
    const d = desc.trim()
    const w = /^(\d+)w$/.exec(d)
    const x = /^(\d*\.?\d+)x$/.exec(d)
    out.push(w ? { url, w: Number(w[1]) } : { url, x: x ? Number(x[1]) : 1 })
  }
  return out
}

/** The largest candidate: the widest `w`, else the densest `x`. */
export function largestCandidate(
  candidates: readonly SrcsetCandidate[],
): SrcsetCandidate | undefined {
  const score = (c: SrcsetCandidate) => (c.w !== undefined ? 1e6 + c.w : (c.x ?? 1))
  return [...candidates].sort((a, b) => score(b) - score(a))[0]
}

export function absolute(url: string, baseUrl: string): string | undefined {
  const trimmed = url.trim()
  if (!trimmed) return undefined
  try {
    return new URL(trimmed, baseUrl).href
  } catch {
    return undefined
  }
}

const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-url', 'data-hi-res-src']
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset']

/** A `data:` placeholder a lazy loader put in `src` (tiny GIF/SVG), not the real image. */
function isPlaceholder(url: string | undefined): boolean {
  return !url || (url.startsWith('data:') && url.length < 512)
}

/**
 * Every URL an `<img>` could stand for, best first: the largest `srcset` / `<picture><source>` /
 * lazy `data-srcset` candidate, then lazy `data-src`, then `currentSrc`, then `src`.
 */
export function imageUrls(img: HTMLImageElement, baseUrl: string): string[] {
  const sets: SrcsetCandidate[] = []
  const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : null
  for (const source of picture ? Array.from(picture.querySelectorAll('source')) : []) {
    const type = source.getAttribute('type') ?? ''
    if (type && !/^image\/(jpe?g|png|gif|webp)$/i.test(type)) continue
    for (const attr of ['srcset', ...LAZY_SRCSET])
      sets.push(...parseSrcset(source.getAttribute(attr) ?? '', baseUrl))
  }
  for (const attr of ['srcset', ...LAZY_SRCSET])
    sets.push(...parseSrcset(img.getAttribute(attr) ?? '', baseUrl))
  const urls: string[] = []
  const best = largestCandidate(sets.filter((c) => !isPlaceholder(c.url)))
  if (best) urls.push(best.url)
  for (const attr of LAZY_SRC) {
    const u = absolute(img.getAttribute(attr) ?? '', baseUrl)
    if (u && !isPlaceholder(u)) urls.push(u)
  }
  const current = img.currentSrc ? absolute(img.currentSrc, baseUrl) : undefined
  if (current && !isPlaceholder(current)) urls.push(current)
  const src = absolute(img.getAttribute('src') ?? '', baseUrl)
  if (src && (!isPlaceholder(src) || urls.length === 0)) urls.push(src)
  return [...new Set(urls)]
}

/** Every URL an `<img>` is known by, for matching a context menu's raw `srcUrl`. */
function knownUrls(img: HTMLImageElement, baseUrl: string): Set<string> {
  const all = new Set(imageUrls(img, baseUrl))
  for (const attr of ['src', 'srcset', ...LAZY_SRC, ...LAZY_SRCSET]) {
    const v = img.getAttribute(attr)
    if (!v) continue
    if (attr.endsWith('srcset')) parseSrcset(v, baseUrl).forEach((c) => all.add(c.url))
    else {
      const u = absolute(v, baseUrl)
      if (u) all.add(u)
    }
  }
  if (img.currentSrc) all.add(img.currentSrc)
  return all
}

export interface ResolvedImage {
  url: string
  alt: string
  width?: number
  height?: number
}

/**
 * The real image behind a context menu's `srcUrl` (the raw `src`, maybe a lazy placeholder or the
 * small `srcset` candidate): the matching `<img>`'s best URL, or `srcUrl` itself when none matches.
 */
export function resolveImageForSrc(doc: Document, srcUrl: string): ResolvedImage {
  const base = doc.baseURI
  const wanted = absolute(srcUrl, base) ?? srcUrl
  for (const img of Array.from(doc.querySelectorAll('img'))) {
    if (!knownUrls(img, base).has(wanted)) continue
    return describe(img, imageUrls(img, base)[0] ?? wanted)
  }
  return { url: wanted, alt: '' }
}

function describe(img: HTMLImageElement, url: string): ResolvedImage {
  const width = img.naturalWidth || Number(img.getAttribute('width')) || undefined
  const height = img.naturalHeight || Number(img.getAttribute('height')) || undefined
  return { url, alt: (img.alt || img.title || '').trim().slice(0, 300), width, height }
}

/**
 * A URL's identity for de-duplication: no fragment, query parameters sorted, default ports and
 * host case normalised by URL itself.
 */
export function normalizeUrl(url: string): string {
  try {
    const u = new URL(url)
    u.hash = ''
    const params = [...u.searchParams.entries()].sort(([a, av], [b, bv]) =>
      a === b ? av.localeCompare(bv) : a.localeCompare(b),
    )
    u.search = new URLSearchParams(params).toString()
    return u.href
  } catch {
    return url
  }
}
