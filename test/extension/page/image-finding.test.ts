import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Window } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import {
  largestCandidate,
  normalizeUrl,
  parseSrcset,
  resolveImageForSrc,
} from '../../../extension/page/image-candidates.ts'
import { findPageImages, isCandidateUrl } from '../../../extension/page/page-images.ts'

const windows: Window[] = []

/** A page from a fixture, at the URL it claims, in its own happy-dom window. */
function load(
  name: string,
  url = 'https://news.test/2026/story/',
): { doc: Document; win: globalThis.Window } {
  const win = new Window({
    url,
    settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
  })
  windows.push(win)
  win.document.write(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'))
  return { doc: win.document as unknown as Document, win: win as unknown as globalThis.Window }
}

afterEach(async () => {
  await Promise.all(windows.splice(0).map((w) => w.happyDOM.close()))
})

describe('parseSrcset', () => {
  it('reads width and density descriptors and resolves URLs', () => {
    expect(parseSrcset('a.jpg 400w, b.jpg 1600w', 'https://x.test/p/')).toEqual([
      { url: 'https://x.test/p/a.jpg', w: 400 },
      { url: 'https://x.test/p/b.jpg', w: 1600 },
    ])
    expect(parseSrcset('a.jpg, b.jpg 2x', 'https://x.test/')).toEqual([
      { url: 'https://x.test/a.jpg', x: 1 },
      { url: 'https://x.test/b.jpg', x: 2 },
    ])
  })

  it('keeps commas inside URLs (CDN transforms)', () => {
    const set = parseSrcset(
      'https://img.test/c_fill,w_400/a.jpg 400w, https://img.test/c_fill,w_900/a.jpg 900w',
      'https://x.test/',
    )
    expect(largestCandidate(set)?.url).toBe('https://img.test/c_fill,w_900/a.jpg')
  })
})

describe('findPageImages on an article', () => {
  it('finds the real images, largest candidates first, without icons, pixels or duplicates', () => {
    const { doc, win } = load('article.html')
    const urls = findPageImages(doc, win).map((i) => i.url)
    expect(urls).toEqual([
      'https://cdn.test/hero-1600.jpg',
      'https://news.test/2026/story/portrait@3x.jpg',
      'https://cdn.test/boat-1200.webp',
      'https://cdn.test/lazy-market.jpg',
      'https://cdn.test/street-1280.jpg',
      'https://cdn.test/photo.jpg?w=800&q=80',
      'https://cdn.test/banner.jpg',
    ])
  })

  it('carries alt text and sizes', () => {
    const { doc, win } = load('article.html')
    const hero = findPageImages(doc, win)[0]
    expect(hero).toMatchObject({
      alt: 'The harbour at dawn',
      width: 800,
      height: 450,
      source: 'img',
    })
    expect(findPageImages(doc, win).at(-1)).toMatchObject({ source: 'background', alt: 'Banner' })
  })
})

describe('resolveImageForSrc', () => {
  it('maps a raw src or lazy placeholder to the real candidate', () => {
    const { doc } = load('article.html')
    expect(resolveImageForSrc(doc, 'https://cdn.test/hero-400.jpg').url).toBe(
      'https://cdn.test/hero-1600.jpg',
    )
    expect(resolveImageForSrc(doc, 'https://cdn.test/boat-600.jpg')).toMatchObject({
      url: 'https://cdn.test/boat-1200.webp',
      alt: 'A boat',
    })
    const placeholder = doc.querySelector<HTMLImageElement>('#lazy')!.getAttribute('src')!
    expect(resolveImageForSrc(doc, placeholder).url).toBe('https://cdn.test/lazy-market.jpg')
  })

  it('answers with the URL itself when no image matches', () => {
    const { doc } = load('article.html')
    expect(resolveImageForSrc(doc, 'https://elsewhere.test/x.png')).toEqual({
      url: 'https://elsewhere.test/x.png',
      alt: '',
    })
  })
})

describe('isCandidateUrl and normalizeUrl', () => {
  it('leaves out trackers, icons and unsupported schemes', () => {
    expect(isCandidateUrl('https://t.test/1x1.gif')).toBe(false)
    expect(isCandidateUrl('https://t.test/a/spacer.gif')).toBe(false)
    expect(isCandidateUrl('https://t.test/icon.svg')).toBe(false)
    expect(isCandidateUrl('chrome-extension://abc/x.png')).toBe(false)
    expect(isCandidateUrl('https://t.test/photos/pixel-art-city.jpg')).toBe(true)
    expect(isCandidateUrl('blob:https://t.test/123')).toBe(true)
  })

  it('treats query order and fragments as the same image', () => {
    expect(normalizeUrl('https://a.test/p.jpg?b=2&a=1#x')).toBe(
      normalizeUrl('https://a.test/p.jpg?a=1&b=2'),
    )
    expect(normalizeUrl('https://a.test/p.jpg?a=1')).not.toBe(
      normalizeUrl('https://a.test/p.jpg?a=2'),
    )
  })
})
