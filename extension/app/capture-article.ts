import { browser } from 'wxt/browser'
import { sendToBackground } from '../utils/messages.ts'

/**
 * Host access the panel asks for when it cannot see the tab: every web page, because the tab's
 * own origin is exactly what the browser hides until access is granted (a tab's URL is visible
 * only with access to it). Within the manifest's optional `<all_urls>`.
 */
export const ALL_SITES = ['*://*/*']

interface Listenable {
  addListener(cb: () => void): void
  removeListener(cb: () => void): void
}

/**
 * How "Make video from this article" went: the picker is opening (or the background tells why
 * not), access was refused, or there is no tab to read.
 */
export type ArticleCaptureResult = 'started' | 'refused' | 'no-tab'

export interface ArticleCapture {
  /** Call straight from the click: it may ask for access, which needs the user's gesture. */
  capture(): Promise<ArticleCaptureResult>
  dispose(): void
}

/**
 * "Make video from this article" from the popup or the side panel: the background opens the
 * article picker in the active tab. The popup has that tab's access from the click that opened
 * it (activeTab), and so has a panel opened over the tab by its shortcut or a menu; a panel that
 * stayed open while the user moved on has none. So this keeps track of whether the active tab
 * can be seen, and when it cannot, asks for access within the click (Firefox counts a click only
 * until the first `await`), before anything else.
 */
export function createArticleCapture(): ArticleCapture {
  let visible = false
  let stamp = 0
  const refresh = () => {
    const mine = ++stamp
    void browser.tabs
      .query({ active: true, currentWindow: true })
      .then(([tab]) => {
        if (mine === stamp) visible = !!tab?.url
      })
      .catch(() => {})
  }
  // A tab switch, a navigation, another window, a grant given or taken back: look again.
  const subscribed: Listenable[] = []
  for (const event of [
    () => browser.tabs.onActivated,
    () => browser.tabs.onUpdated,
    () => browser.windows.onFocusChanged,
    () => browser.permissions.onAdded,
    () => browser.permissions.onRemoved,
  ] as Array<() => Listenable>) {
    try {
      event().addListener(refresh)
      subscribed.push(event())
    } catch {
      // This browser (or a test's fake one) has no such event.
    }
  }
  refresh()

  return {
    capture() {
      const access = visible ? Promise.resolve(true) : requestAllSites()
      return (async () => {
        if (!(await access)) return 'refused'
        const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
        if (tab?.id === undefined) return 'no-tab'
        await sendToBackground({
          type: 'capture',
          action: 'make-from-article',
          tabId: tab.id,
          ...(tab.windowId !== undefined && { windowId: tab.windowId }),
          ...(tab.url && { pageUrl: tab.url }),
        })
        // The picker is on the page: a popup gets out of its way.
        if (document.documentElement.classList.contains('popup')) window.close()
        return 'started'
      })()
    },
    dispose() {
      stamp++
      for (const event of subscribed) event.removeListener(refresh)
    },
  }
}

/** The permission prompt, started synchronously; false when refused or not possible. */
function requestAllSites(): Promise<boolean> {
  try {
    return browser.permissions.request({ origins: ALL_SITES }).catch(() => false)
  } catch {
    return Promise.resolve(false)
  }
}
