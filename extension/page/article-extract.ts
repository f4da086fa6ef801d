import { Readability } from '@mozilla/readability'
import { findPageImages, type PageImage } from './page-images.ts'

/** What "Make video from this article" offers: the reader's view of the page. */
export interface PageArticle {
  title: string
  /** The article's paragraphs (and list items, quotes) in reading order, as plain text. */
  paragraphs: string[]
  /** The article's own images, as the picker finds them (largest candidate, no icons), in order. */
  images: PageImage[]
  /** The article's language, for splitting sentences. */
  lang: string
  /** Readability found no article: the page's title and images are offered without text. */
  found: boolean
}

const MARK = 'data-pagereel-img'
const TEXT_BLOCKS = 'p, li, blockquote, pre'

/**
 * Runs Firefox Reader View's own extractor on a clone of the document (it rewrites the DOM it
 * reads, so never on the page itself). Each `<img>` of the clone is marked with its index first:
 * the images the extractor kept are then looked up in the live page, where they have their real
 * sizes and loaded sources.
 */
export function extractArticle(doc: Document, win: Window): PageArticle {
  const originals = Array.from(doc.querySelectorAll('img'))
  const clone = doc.cloneNode(true) as Document
  Array.from(clone.querySelectorAll('img')).forEach((img, i) => img.setAttribute(MARK, String(i)))
  const parsed = new Readability(clone, { serializer: (node: Node) => node as Element }).parse()
  const body = parsed?.content ?? undefined
  const title = (parsed?.title || doc.title || '').replace(/\s+/g, ' ').trim()
  const lang = parsed?.lang || doc.documentElement.lang || 'en'
  if (!body) {
    return { title, paragraphs: [], images: findPageImages(doc, win), lang, found: false }
  }
  const kept = new Set<Element>()
  for (const img of Array.from(body.querySelectorAll(`img[${MARK}]`))) {
    const original = originals[Number(img.getAttribute(MARK))]
    if (original) kept.add(original)
  }
  const paragraphs = Array.from(body.querySelectorAll(TEXT_BLOCKS))
    // A list item's paragraph is read once, as part of the outer block.
    .filter((el) => !el.parentElement?.closest(TEXT_BLOCKS))
    .map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter((text) => text.length > 0)
  const images = findPageImages(doc, win, { within: (img) => kept.has(img) })
  return { title, paragraphs, images, lang, found: paragraphs.length > 0 }
}
