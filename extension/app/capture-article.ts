import { browser } from 'wxt/browser'
import { sendToBackground } from '../utils/messages.ts'

/**
 * "Make video from this article" from the panel: the background opens the article picker in the
 * active tab (the popup has that tab's access from the click that opened it). The popup then
 * closes, so the picker on the page can be used at once.
 */
export async function captureArticle(): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
  if (tab?.id === undefined) return
  await sendToBackground({
    type: 'capture',
    action: 'make-from-article',
    tabId: tab.id,
    ...(tab.windowId !== undefined && { windowId: tab.windowId }),
    ...(tab.url && { pageUrl: tab.url }),
  })
  if (document.documentElement.classList.contains('popup')) window.close()
}
