import { openOverlayHost, onUserClick, trusted } from './overlay-host.ts'
import { t } from '../utils/i18n.ts'
import { sendToBackground, type PickedImage } from '../utils/messages.ts'
import type { PageImage } from './page-images.ts'

const CSS = `
:host { all: initial; }
.backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(15, 18, 24, .72);
  display: flex; align-items: center; justify-content: center; font: 14px/1.4 system-ui, sans-serif; }
.dialog { background: #fff; color: #1b1f24; border-radius: 12px; width: min(960px, 94vw); max-height: 90vh;
  display: flex; flex-direction: column; box-shadow: 0 12px 48px rgba(0,0,0,.35); }
header, footer { display: flex; gap: 8px; align-items: center; padding: 12px 16px; }
header h2 { font-size: 16px; margin: 0; flex: 1; }
.grid { overflow: auto; padding: 8px 16px; display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
label { position: relative; display: block; border: 2px solid transparent; border-radius: 8px; overflow: hidden;
  cursor: pointer; background: #f1f3f5; aspect-ratio: 4 / 3; }
label:has(input:checked) { border-color: #2f6fed; }
label:focus-within { outline: 3px solid #9bbcff; }
img { width: 100%; height: 100%; object-fit: cover; display: block; }
input { position: absolute; top: 6px; left: 6px; width: 18px; height: 18px; margin: 0; }
footer { justify-content: flex-end; border-top: 1px solid #e3e6ea; }
.count { margin-right: auto; color: #57606a; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #c9ced6; background: #fff; cursor: pointer; }
button.primary { background: #2f6fed; border-color: #2f6fed; color: #fff; }
button:disabled { opacity: .5; cursor: default; }
.empty { padding: 24px 16px; }
`

/**
 * The in-page picker: every found image with a tick box (all ticked), in a closed shadow root so
 * the page's CSS and scripts cannot reach it (`host.shadowRoot` is null to the page). Every handler
 * ignores events the browser did not make from the user's input (`isTrusted`), so the page cannot
 * tick boxes, press "Make video" or close it by script. Esc or Cancel closes; "Make video" sends
 * the ticked images to the background, which adds them to the tray and opens the panel.
 */
export function openPickerOverlay(
  doc: Document,
  images: readonly PageImage[],
  pageUrl: string,
  send: (images: PickedImage[]) => Promise<unknown> = (picked) =>
    sendToBackground({ type: 'picker-chosen', pageUrl, images: picked }),
): { close: () => void; root: ShadowRoot } {
  const { root, el, show, close } = openOverlayHost(doc)

  const style = el('style', { textContent: CSS })
  const backdrop = el('div', { className: 'backdrop' })
  const dialog = el('div', { className: 'dialog' })
  dialog.setAttribute('role', 'dialog')
  dialog.setAttribute('aria-modal', 'true')
  dialog.setAttribute('aria-labelledby', 'pr-title')
  const title = el('h2', { id: 'pr-title', textContent: t('picker_title') })
  const cancel = el('button', { type: 'button', textContent: t('picker_cancel') })
  const header = el('header')
  header.append(title, cancel)

  const boxes: HTMLInputElement[] = []
  const grid = el('div', { className: 'grid' })
  images.forEach((img, i) => {
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
  const count = el('span', { className: 'count' })
  count.setAttribute('aria-live', 'polite')
  const all = el('button', { type: 'button', textContent: t('picker_select_all') })
  const none = el('button', { type: 'button', textContent: t('picker_select_none') })
  const make = el('button', {
    type: 'button',
    className: 'primary',
    textContent: t('picker_make_video'),
  })
  const footer = el('footer')
  footer.append(count, all, none, make)

  const body = images.length
    ? grid
    : el('p', { className: 'empty', textContent: t('picker_none_found') })
  dialog.append(header, body, footer)
  backdrop.append(dialog)
  root.append(style, backdrop)

  const chosen = () => images.filter((_, i) => boxes[i]?.checked)
  const refresh = () => {
    const n = chosen().length
    count.textContent = t('picker_count', [n])
    make.disabled = n === 0
  }
  // A tick the page forced by script is undone: only the user's own clicks choose images.
  grid.addEventListener('click', (e) => {
    if (!trusted(e)) e.preventDefault()
  })
  grid.addEventListener('change', refresh)
  onUserClick(all, () => (boxes.forEach((b) => (b.checked = true)), refresh()))
  onUserClick(none, () => (boxes.forEach((b) => (b.checked = false)), refresh()))
  onUserClick(cancel, close)
  backdrop.addEventListener('click', (e) => trusted(e) && e.target === backdrop && close())
  onUserClick(make, () => {
    const picked = chosen().map(({ url, alt, width, height }) => ({ url, alt, width, height }))
    if (!picked.length) return
    // Sent from the click itself: Chrome lets the background open the side panel on this gesture.
    void send(picked)
    close()
  })
  refresh()
  show()
  ;(boxes[0] ?? cancel).focus()
  return { close, root }
}
