/**
 * What PageReel's in-page dialogs (the image picker, the article picker) share: one host element
 * per page, a closed shadow root so the page's CSS and scripts cannot reach inside, and handlers
 * that act on the user's own input only.
 */
const HOST_ID = 'pagereel-picker'

/**
 * Closed, so a page script cannot reach inside (`host.shadowRoot` is null to it). Only the browser
 * suite's builds set WXT_PICKER_SHADOW=open: Playwright's locators cannot enter a closed root.
 */
const SHADOW_MODE: ShadowRootMode =
  (import.meta.env.WXT_PICKER_SHADOW as string | undefined) === 'open' ? 'open' : 'closed'

export interface OverlayHost {
  root: ShadowRoot
  /** `el('button', { type: 'button', textContent: '…' })`: an element of the page's document. */
  el: <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    props?: Record<string, unknown>,
  ) => HTMLElementTagNameMap[K]
  /** Puts the dialog on the page; Esc (from the user) calls `close`. */
  show: () => void
  /** Takes the dialog off the page and stops listening. */
  close: () => void
}

/** Replaces any PageReel dialog already on the page with a new, empty one. */
export function openOverlayHost(doc: Document): OverlayHost {
  doc.getElementById(HOST_ID)?.remove()
  const host = doc.createElement('div')
  host.id = HOST_ID
  const root = host.attachShadow({ mode: SHADOW_MODE })
  const onKey = (e: KeyboardEvent) => {
    if (!trusted(e) || e.key !== 'Escape') return
    e.stopPropagation()
    close()
  }
  const close = () => {
    doc.removeEventListener('keydown', onKey, true)
    host.remove()
  }
  return {
    root,
    el: (tag, props = {}) => Object.assign(doc.createElement(tag), props),
    show: () => {
      doc.addEventListener('keydown', onKey, true)
      doc.documentElement.append(host)
    },
    close,
  }
}

/** Whether the user made this event (a browser sets isTrusted; a script's dispatch is false). */
export function trusted(e: Event): boolean {
  return e.isTrusted !== false
}

/** A click handler that runs for the user's clicks only. */
export function onUserClick(button: HTMLElement, run: () => void): void {
  button.addEventListener('click', (e) => {
    if (trusted(e)) run()
  })
}
