import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { AppContext } from '../../../extension/app/app-context.ts'
import type { AppState } from '../../../extension/app/app-state.ts'
import { ALL_SITES, createArticleCapture } from '../../../extension/app/capture-article.ts'
import { ChatStart } from '../../../extension/components/ChatLog.tsx'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'

const fb = fakeBrowser as unknown as Record<string, any>
const ARTICLE = 'https://news.test/lighthouses'

/** The active tab as the extension sees it: with its URL only when it may read the tab. */
function activeTab(opts: { visible: boolean }) {
  return vi
    .spyOn(fb.tabs, 'query')
    .mockResolvedValue([{ id: 7, windowId: 2, ...(opts.visible && { url: ARTICLE }) }])
}

const settle = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('en')
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

/** The empty chat's article button over the real capture (the browser is WXT's fake one). */
async function renderStart() {
  const article = createArticleCapture()
  await settle()
  const app = { links: { captureArticle: () => article.capture() } } as unknown as AppState
  render(
    <AppContext.Provider value={app}>
      <ChatStart />
    </AppContext.Provider>,
  )
  return article
}

describe('"Make video from this article" from the side panel', () => {
  it('asks for site access within the click when it cannot see the tab; refused, it says what to do instead, in English and Chinese, and sends nothing', async () => {
    activeTab({ visible: false })
    const request = vi.spyOn(fb.permissions, 'request').mockResolvedValue(false)
    const send = vi.spyOn(fb.runtime, 'sendMessage').mockResolvedValue({ ok: true, itemIds: [] })
    const article = await renderStart()
    fireEvent.click(screen.getByRole('button', { name: 'Make video from this article' }))
    // Synchronously, inside the click: no await may come before the prompt.
    expect(request).toHaveBeenCalledWith({ origins: ALL_SITES })
    const status = await screen.findByRole('status')
    expect(status.textContent).toContain('Right-click the page')
    expect(status.textContent).toContain('“Make video from this article”')
    expect(send).not.toHaveBeenCalled()
    setUiLanguage('zh')
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('右键'))
    expect(screen.getByRole('status').textContent).toContain('用这篇文章制作视频')
    article.dispose()
  })

  it('granted, it opens the article picker in the active tab', async () => {
    activeTab({ visible: false })
    vi.spyOn(fb.permissions, 'request').mockResolvedValue(true)
    const send = vi.spyOn(fb.runtime, 'sendMessage').mockResolvedValue({ ok: true, itemIds: [] })
    const article = createArticleCapture()
    await settle()
    await expect(article.capture()).resolves.toBe('started')
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'capture', action: 'make-from-article', tabId: 7 }),
    )
    article.dispose()
  })

  it('asks nothing when it can already see the tab (the popup, or a panel opened over it)', async () => {
    activeTab({ visible: true })
    const request = vi.spyOn(fb.permissions, 'request').mockResolvedValue(false)
    const send = vi.spyOn(fb.runtime, 'sendMessage').mockResolvedValue({ ok: true, itemIds: [] })
    const article = createArticleCapture()
    await settle()
    await expect(article.capture()).resolves.toBe('started')
    expect(request).not.toHaveBeenCalled()
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'make-from-article', tabId: 7, pageUrl: ARTICLE }),
    )
    article.dispose()
  })

  it('looks again when the user moves to another tab it cannot see', async () => {
    const query = activeTab({ visible: true })
    const request = vi.spyOn(fb.permissions, 'request').mockResolvedValue(false)
    const article = createArticleCapture()
    await settle()
    query.mockResolvedValue([{ id: 8, windowId: 2 }])
    await fb.tabs.onActivated.trigger({ tabId: 8, windowId: 2 })
    await settle()
    await expect(article.capture()).resolves.toBe('refused')
    expect(request).toHaveBeenCalledWith({ origins: ALL_SITES })
    article.dispose()
  })
})
