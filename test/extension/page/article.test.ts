import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Window } from 'happy-dom'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { extractArticle, type PageArticle } from '../../../extension/page/article-extract.ts'
import { openArticleOverlay } from '../../../extension/page/article-overlay.ts'
import { scriptFor, sentencesOf, wordCount } from '../../../extension/page/article-script.ts'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'

/** The browser suite's article: a nav logo, three images in the text, a teaser in the aside. */
const FIXTURE = join(import.meta.dirname, '../../e2e/fixtures/site/article.html')
const PAGE = 'https://fieldnotes.test/2026/lighthouse/'
const windows: Window[] = []

function load(html = readFileSync(FIXTURE, 'utf8')): { doc: Document; win: globalThis.Window } {
  const win = new Window({
    url: PAGE,
    settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
  })
  windows.push(win)
  win.document.write(html)
  return { doc: win.document as unknown as Document, win: win as unknown as globalThis.Window }
}

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('en')
})
afterEach(async () => {
  await Promise.all(windows.splice(0).map((w) => w.happyDOM.close()))
  document.getElementById('pagereel-picker')?.remove()
})

describe('extractArticle', () => {
  it("finds the article's title, its paragraphs in order and only its own images", () => {
    const { doc, win } = load()
    const before = doc.documentElement.outerHTML
    const article = extractArticle(doc, win)
    expect(article.found).toBe(true)
    expect(article.title).toBe('The Lighthouse Keepers of the North Coast')
    expect(article.paragraphs[0]).toMatch(/^For more than a century, the lighthouse at Skarvik/)
    expect(article.paragraphs.at(-1)).toMatch(/^If you go, take the coastal path/)
    expect(article.paragraphs.join(' ')).not.toMatch(/Subscribe|Privacy|More from Field Notes/)
    // The largest srcset candidate, in reading order; not the nav logo, not the aside's teaser.
    expect(article.images.map((i) => i.url)).toEqual([
      new URL('img/hero-1600.jpg', PAGE).href,
      new URL('img/coast-1200.jpg', PAGE).href,
      new URL('img/tiles-1200.jpg', PAGE).href,
    ])
    // Readability ran on a clone: the page is as it was.
    expect(doc.documentElement.outerHTML).toBe(before)
  })

  it('offers the page title and all its images, without text, on a page with no article', () => {
    const { doc, win } = load(
      '<html><head><title>Gallery</title></head><body><img src="/a.jpg" width="800" height="600"></body></html>',
    )
    const article = extractArticle(doc, win)
    expect(article).toMatchObject({ title: 'Gallery', paragraphs: [], found: false })
    expect(article.images.map((i) => i.url)).toEqual(['https://fieldnotes.test/a.jpg'])
  })
})

describe('the script and its length', () => {
  const paragraphs = [
    'One sentence here. Two sentences here. Three sentences here.',
    'Four is next! Five follows? Six ends it.',
  ]

  it('keeps the lead sentence of each paragraph, two, or every one', () => {
    expect(scriptFor(paragraphs, 'short')).toBe('One sentence here.\n\nFour is next!')
    expect(scriptFor(paragraphs, 'medium')).toBe(
      'One sentence here. Two sentences here.\n\nFour is next! Five follows?',
    )
    expect(scriptFor(paragraphs, 'full')).toBe(paragraphs.join('\n\n'))
  })

  it('stops at the word budget of a short script, keeping whole sentences', () => {
    const long = Array.from(
      { length: 30 },
      (_, i) => `Paragraph ${i} has exactly seven words here.`,
    )
    const script = scriptFor(long, 'short')
    expect(wordCount(script)).toBeLessThanOrEqual(90)
    expect(script.split('\n\n')).toHaveLength(12)
    expect(script.split('\n\n').every((s) => s.endsWith('.'))).toBe(true)
  })

  it('splits and counts Chinese too', () => {
    expect(sentencesOf('灯塔建于1890年。最后一位守塔人在1987年离开！', 'zh')).toEqual([
      '灯塔建于1890年。',
      '最后一位守塔人在1987年离开！',
    ])
    expect(wordCount('灯塔很高')).toBe(2)
  })
})

describe('article picker', () => {
  function open(article: PageArticle) {
    const send = vi.fn(async () => {})
    const { root } = openArticleOverlay(document, article, PAGE, send)
    const button = (label: string) =>
      [...root.querySelectorAll('button')].find((b) => b.textContent === label)!
    return { root, send, button }
  }

  it('shows the title, a short script, the images ticked; a length replaces the script', () => {
    const { doc, win } = load()
    const article = extractArticle(doc, win)
    const { root } = open(article)
    const title = root.querySelector<HTMLInputElement>('input[type=text]')!
    const script = root.querySelector('textarea')!
    expect(title.value).toBe('The Lighthouse Keepers of the North Coast')
    expect(root.activeElement).toBe(title)
    expect(script.value).toBe(scriptFor(article.paragraphs, 'short'))
    expect(script.value.split('\n\n')[0]).toBe(
      'For more than a century, the lighthouse at Skarvik was kept by the same three families.',
    )
    const boxes = [...root.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]
    expect(boxes.map((b) => b.checked)).toEqual([true, true, true])
    expect(root.querySelector<HTMLElement>('.tip')!.hidden).toBe(true)
    const full = root.querySelector<HTMLInputElement>('input[value=full]')!
    full.click()
    expect(script.value).toBe(scriptFor(article.paragraphs, 'full'))
    expect(script.value).toContain('forty-one ships in a single night')
    expect(root.querySelector('.words')?.textContent).toBe(`${wordCount(script.value)} words`)
  })

  it('sends the edited title and script with the ticked images, in order, then closes', () => {
    const { doc, win } = load()
    const { root, send, button } = open(extractArticle(doc, win))
    const title = root.querySelector<HTMLInputElement>('input[type=text]')!
    title.value = '  Keepers   of the light '
    const script = root.querySelector('textarea')!
    script.value = 'My own script.'
    script.dispatchEvent(new Event('input'))
    root.querySelectorAll<HTMLInputElement>('input[type=checkbox]')[1]!.click()
    button('Make video').click()
    expect(send).toHaveBeenCalledWith({
      title: 'Keepers of the light',
      script: 'My own script.',
      images: [
        expect.objectContaining({ url: new URL('img/hero-1600.jpg', PAGE).href }),
        expect.objectContaining({ url: new URL('img/tiles-1200.jpg', PAGE).href }),
      ],
    })
    expect(document.getElementById('pagereel-picker')).toBeNull()
  })

  it("passes on NemoVideo's tip once more than 10 images are ticked", () => {
    const images = Array.from({ length: 11 }, (_, i) => ({
      url: `https://cdn.test/${i}.jpg`,
      alt: '',
      source: 'img' as const,
    }))
    const { root } = open({ title: 'T', paragraphs: ['Text.'], images, lang: 'en', found: true })
    const tip = root.querySelector<HTMLElement>('.tip')!
    expect(tip.hidden).toBe(false)
    expect(tip.textContent).toMatch(/fewer than 10 images/)
    root.querySelector<HTMLInputElement>('input[type=checkbox]')!.click()
    expect(tip.hidden).toBe(true)
  })

  it('lives in a closed shadow root and ignores events a page script makes', () => {
    const { doc, win } = load()
    const article = extractArticle(doc, win)
    const { root, send, button } = open(article)
    expect(document.getElementById('pagereel-picker')?.shadowRoot).toBeNull()
    const untrusted = <E extends Event>(event: E): E => {
      Object.defineProperty(event, 'isTrusted', { value: false })
      return event
    }
    const script = root.querySelector('textarea')!
    const before = script.value
    const full = root.querySelector<HTMLInputElement>('input[value=full]')!
    full.dispatchEvent(untrusted(new MouseEvent('click', { bubbles: true, cancelable: true })))
    full.dispatchEvent(untrusted(new Event('change', { bubbles: true })))
    expect(script.value).toBe(before)
    const box = root.querySelector<HTMLInputElement>('input[type=checkbox]')!
    box.dispatchEvent(untrusted(new MouseEvent('click', { bubbles: true, cancelable: true })))
    expect(box.checked).toBe(true)
    button('Make video').dispatchEvent(untrusted(new MouseEvent('click', { bubbles: true })))
    document.dispatchEvent(
      untrusted(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })),
    )
    expect(document.getElementById('pagereel-picker')).not.toBeNull()
    expect(send).not.toHaveBeenCalled()
    button('Make video').click()
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('Esc closes without sending', () => {
    const { send } = open({ title: 'T', paragraphs: [], images: [], lang: 'en', found: false })
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(document.getElementById('pagereel-picker')).toBeNull()
    expect(send).not.toHaveBeenCalled()
  })
})
