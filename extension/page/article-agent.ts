import { browser } from 'wxt/browser'
import { ArticleAgentMessage } from '../utils/messages.ts'
import { extractArticle } from './article-extract.ts'
import { openArticleOverlay } from './article-overlay.ts'

/**
 * The article action's own agent, injected only when the user asks for it: Readability is bundled
 * here and nowhere else, so the page agent that every other action injects stays small.
 */
export function installArticleAgent(win: Window & typeof globalThis, doc: Document): void {
  const flag = win as unknown as { __pagereelArticleAgent?: boolean }
  if (flag.__pagereelArticleAgent) return
  flag.__pagereelArticleAgent = true
  browser.runtime.onMessage.addListener(
    (raw: unknown, _sender, sendResponse: (r: unknown) => void) => {
      if (!ArticleAgentMessage.safeParse(raw).success) return false
      const article = extractArticle(doc, win)
      openArticleOverlay(doc, article, win.location.href)
      sendResponse({ ok: true, images: article.images.length })
      return false
    },
  )
}
