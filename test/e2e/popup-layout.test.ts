import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'
import { Messages } from './lib/messages.ts'
import { POPUP_VIEWPORT, Tour } from './lib/tour.ts'

/** Elements that scroll their own overflowing content (the popup should have one: .app-main). */
async function scrollers(page: Page): Promise<string[]> {
  return await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => {
        const style = getComputedStyle(el)
        return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1
      })
      .map((el) => el.className || el.tagName),
  )
}

/** Whether the element is inside the popup's 400x600 view right now. */
async function inView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox()
  return !!box && box.y >= 0 && box.y + box.height <= POPUP_VIEWPORT.height && box.width > 0
}

describe('the popup at 400x600', () => {
  let browser: TestBrowser
  let tour: Tour
  beforeAll(async () => {
    const env = e2e()
    browser = await openBrowser('layout')
    tour = new Tour({
      browser,
      siteUrl: env.siteUrl,
      messages: new Messages(env.extensionDir),
      shotsDir: screenshotsDir(),
    })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('a first-time user sees the composer, the article button and every section without scrolling', async () => {
    const popup = await tour.openPopup()
    await popup.locator('.credits-value').waitFor()
    expect(await inView(popup, '#composer-input')).toBe(true)
    expect(await inView(popup, '.composer button[type=submit]')).toBe(true)
    expect(await inView(popup, '.chat-start button')).toBe(true)
    for (const title of ['.tray .section-title', '.panel-summary'])
      expect(await inView(popup, title)).toBe(true)
    expect(
      await popup
        .locator('.panel-summary')
        .last()
        .boundingBox()
        .then((b) => b!.y + b!.height),
    ).toBeLessThanOrEqual(600)
    expect(await scrollers(popup)).toEqual([])
    await tour.shot(popup, 'popup-first-run')
    await popup.close()
  })

  it('a long chat scrolls with the page (no nested scroll) and the composer stays in view', async () => {
    const worker = await browser.serviceWorker()
    const sessionId = 'ses_LAYOUTLAYOUTLAYO1'
    await worker.evaluate(async (sid) => {
      const at = Date.now()
      const messages = Array.from({ length: 24 }, (_, i) =>
        i % 2
          ? {
              kind: 'reply',
              id: `r${i}`,
              runId: `run_${i}`,
              lastSeq: 1,
              status: 'done',
              text: `Reply ${i}: the harbour scene is now ${i} seconds long, with the title on top.`,
              editing: false,
              stillWorking: false,
              startedAt: at,
              notices: [],
              actions: [],
            }
          : { kind: 'user', id: `u${i}`, text: `Message ${i}: make the harbour scene longer`, at },
      )
      const local = chrome.storage.local as unknown as {
        set(v: Record<string, unknown>): Promise<void>
      }
      await local.set({
        projects: {
          currentSessionId: sid,
          projects: [{ sessionId: sid, title: 'Harbour', createdAt: new Date(at).toISOString() }],
        },
        [`chat:${sid}`]: { messages },
      })
    }, sessionId)
    const popup = await tour.openPopup()
    await popup.locator('.msg-reply').nth(11).waitFor()
    expect(await scrollers(popup)).toEqual(['app-main'])
    // Scrolled to the newest message, the composer is right under it, in view.
    await popup.locator('.msg-reply').last().scrollIntoViewIfNeeded()
    expect(await inView(popup, '#composer-input')).toBe(true)
    // Scrolled to the top, it stays at the bottom of the view while the chat is on screen.
    await popup.locator('.app-main').evaluate((el) => el.scrollTo(0, 0))
    expect(await inView(popup, '#composer-input')).toBe(true)
    await tour.shot(popup, 'popup-long-chat')
  })
})
