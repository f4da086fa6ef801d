import { openOverlayHost, onUserClick, trusted } from './overlay-host.ts'
import { t, type MessageKey } from '../utils/i18n.ts'
import { sendToBackground, type PickedImage } from '../utils/messages.ts'
import type { PageArticle } from './article-extract.ts'
import {
  SCRIPT_LENGTHS,
  SCRIPT_MAX_CHARS,
  scriptFor,
  wordCount,
  type ScriptLength,
} from './article-script.ts'

/** NemoVideo's own tip: fewer than 10 images keep render times under a minute. */
export const MANY_IMAGES = 10

const LENGTH_KEYS: Record<ScriptLength, MessageKey> = {
  short: 'article_length_short',
  medium: 'article_length_medium',
  full: 'article_length_full',
}

const CSS = `
:host { all: initial; }
.backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(15, 18, 24, .72);
  display: flex; align-items: center; justify-content: center; font: 14px/1.4 system-ui, sans-serif; }
.dialog { background: #fff; color: #1b1f24; border-radius: 12px; width: min(960px, 94vw); max-height: 90vh;
  display: flex; flex-direction: column; box-shadow: 0 12px 48px rgba(0,0,0,.35); }
header, footer { display: flex; gap: 8px; align-items: center; padding: 12px 16px; }
header h2 { font-size: 16px; margin: 0; flex: 1; }
.body { overflow: auto; padding: 4px 16px 12px; display: flex; flex-direction: column; gap: 10px; }
.field { display: flex; flex-direction: column; gap: 4px; font-weight: 600; }
.field input, textarea { font: inherit; font-weight: 400; padding: 6px 8px; border: 1px solid #c9ced6;
  border-radius: 6px; }
textarea { min-height: 9em; resize: vertical; line-height: 1.5; }
fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
legend { font-weight: 600; padding: 0; margin-right: 8px; float: left; }
fieldset label { font-weight: 400; display: inline-flex; gap: 4px; align-items: center; cursor: pointer; }
.words, .hint { color: #57606a; font-weight: 400; margin: 0; }
.tip { background: #fff7e0; border: 1px solid #f0d48a; border-radius: 6px; padding: 6px 10px; margin: 0; }
h3 { font-size: 14px; margin: 4px 0 0; }
.grid { display: grid; gap: 10px; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); }
.grid label { position: relative; display: block; border: 2px solid transparent; border-radius: 8px;
  overflow: hidden; cursor: pointer; background: #f1f3f5; aspect-ratio: 4 / 3; }
.grid label:has(input:checked) { border-color: #2f6fed; }
.grid label:focus-within { outline: 3px solid #9bbcff; }
.grid img { width: 100%; height: 100%; object-fit: cover; display: block; }
.grid input { position: absolute; top: 6px; left: 6px; width: 18px; height: 18px; margin: 0; }
footer { justify-content: flex-end; border-top: 1px solid #e3e6ea; }
.count { margin-right: auto; color: #57606a; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #c9ced6; background: #fff; cursor: pointer; }
button.primary { background: #2f6fed; border-color: #2f6fed; color: #fff; }
button:disabled { opacity: .5; cursor: default; }
`

/** What the article picker sends: the title, the script as edited, the ticked images in order. */
export interface ArticleChoice {
  title: string
  script: string
  images: PickedImage[]
}

/**
 * The picker for "Make video from this article": the title, the text as an editable script with
 * a length control, and the article's images (all ticked). Like the image picker, it lives in a
 * closed shadow root and ignores events a page script made (`isTrusted`). Esc or Cancel closes;
 * "Make video" sends everything to the background in one message, from the click itself.
 */
export function openArticleOverlay(
  doc: Document,
  article: PageArticle,
  pageUrl: string,
  send: (choice: ArticleChoice) => Promise<unknown> = (choice) =>
    sendToBackground({ type: 'article-chosen', pageUrl, ...choice }),
): { close: () => void; root: ShadowRoot } {
  const { root, el, show, close } = openOverlayHost(doc)
  const labelled = (control: HTMLElement, text: string) => {
    const label = el('label', { className: 'field' })
    label.append(el('span', { textContent: text }), control)
    return label
  }

  const backdrop = el('div', { className: 'backdrop' })
  const dialog = el('div', { className: 'dialog' })
  dialog.setAttribute('role', 'dialog')
  dialog.setAttribute('aria-modal', 'true')
  dialog.setAttribute('aria-labelledby', 'pr-title')
  const cancel = el('button', { type: 'button', textContent: t('picker_cancel') })
  const header = el('header')
  header.append(el('h2', { id: 'pr-title', textContent: t('article_title') }), cancel)

  const title = el('input', { type: 'text', value: article.title, maxLength: 300 })
  const lengths = el('fieldset')
  lengths.append(el('legend', { textContent: t('article_length') }))
  const radios = SCRIPT_LENGTHS.map((length) => {
    const radio = el('input', { type: 'radio', name: 'pr-length', value: length })
    radio.checked = length === 'short'
    const label = el('label')
    label.append(radio, doc.createTextNode(t(LENGTH_KEYS[length])))
    lengths.append(label)
    return radio
  })
  const script = el('textarea', {
    value: scriptFor(article.paragraphs, 'short', article.lang),
    maxLength: SCRIPT_MAX_CHARS,
    rows: 8,
  })
  const words = el('p', { className: 'words' })
  words.setAttribute('aria-live', 'polite')
  const body = el('div', { className: 'body' })
  body.append(
    labelled(title, t('article_title_label')),
    lengths,
    labelled(script, t('article_script')),
  )
  body.append(words)
  if (!article.found) body.append(el('p', { className: 'hint', textContent: t('article_no_text') }))

  const boxes: HTMLInputElement[] = []
  const grid = el('div', { className: 'grid' })
  article.images.forEach((img, i) => {
    const label = el('label')
    const box = el('input', { type: 'checkbox', checked: true })
    const name = img.alt || new URL(img.url, pageUrl).pathname.split('/').pop() || ''
    box.setAttribute('aria-label', t('picker_image_label', [i + 1, name]))
    const thumb = el('img', { src: img.url, alt: '', loading: 'lazy' })
    thumb.referrerPolicy = 'no-referrer-when-downgrade'
    label.append(box, thumb)
    grid.append(label)
    boxes.push(box)
  })
  const tip = el('p', { className: 'tip', textContent: t('picker_many_images', [MANY_IMAGES]) })
  body.append(el('h3', { textContent: t('article_images') }), tip)
  body.append(
    article.images.length
      ? grid
      : el('p', { className: 'hint', textContent: t('picker_none_found') }),
  )

  const count = el('span', { className: 'count' })
  count.setAttribute('aria-live', 'polite')
  const make = el('button', {
    type: 'button',
    className: 'primary',
    textContent: t('picker_make_video'),
  })
  const footer = el('footer')
  footer.append(count, make)
  dialog.append(header, body, footer)
  backdrop.append(dialog)
  root.append(el('style', { textContent: CSS }), backdrop)

  const chosen = () => article.images.filter((_, i) => boxes[i]?.checked)
  const refresh = () => {
    const n = chosen().length
    count.textContent = t('picker_count', [n])
    words.textContent = t('article_words', [wordCount(script.value)])
    tip.hidden = n <= MANY_IMAGES
    make.disabled = n === 0 && !script.value.trim()
  }
  // A tick or a length the page forced by script is undone: only the user's own clicks count.
  for (const part of [grid, lengths])
    part.addEventListener('click', (e) => {
      if (!trusted(e)) e.preventDefault()
    })
  grid.addEventListener('change', refresh)
  script.addEventListener('input', refresh)
  // A length is a fresh cut of the article: it replaces the script, edits included.
  lengths.addEventListener('change', (e) => {
    if (!trusted(e)) return
    const length = radios.find((r) => r.checked)?.value as ScriptLength | undefined
    if (length) script.value = scriptFor(article.paragraphs, length, article.lang)
    refresh()
  })
  onUserClick(cancel, close)
  backdrop.addEventListener('click', (e) => trusted(e) && e.target === backdrop && close())
  onUserClick(make, () => {
    const images = chosen().map(({ url, alt, width, height }) => ({ url, alt, width, height }))
    const text = script.value.trim()
    if (!images.length && !text) return
    // Sent from the click itself: Chrome lets the background open the side panel on this gesture.
    void send({ title: title.value.replace(/\s+/g, ' ').trim(), script: text, images })
    close()
  })
  refresh()
  show()
  title.focus()
  return { close, root }
}
