import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2e, openBrowser, type TestBrowser } from './harness.ts'
import { Messages } from './lib/messages.ts'
import { Tour } from './lib/tour.ts'

const TITLE = 'The Lighthouse Keepers of the North Coast'

describe('the side panel’s "Make video from this article"', () => {
  let browser: TestBrowser
  let tour: Tour
  let messages: Messages
  let article: Page
  beforeAll(async () => {
    const env = e2e()
    messages = new Messages(env.extensionDir)
    // The user granted PageReel the site earlier (the panel's prompt, accepted): see browser.ts.
    browser = await openBrowser('article-panel')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages })
    article = await browser.context.newPage()
    await article.goto(`${env.siteUrl}article.html`, { waitUntil: 'load' })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('opens the article picker in the active tab, with no menu click and no prompt', async () => {
    const { siteUrl } = e2e()
    // The panel beside the article: its page runs in this window, the article's tab is active.
    const panel = await browser.openExtensionPage('sidepanel.html')
    await panel.locator('.app').waitFor({ timeout: 15_000 })
    const worker = await browser.serviceWorker()
    await worker.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url })
      await chrome.tabs.update(tab!.id!, { active: true })
    }, `${siteUrl}article.html`)
    // From the panel, the active tab is the article, and it can read its URL: nothing to ask.
    await expect
      .poll(() =>
        panel.evaluate(async () => {
          const [tab] = await chrome.tabs.query({ active: true, currentWindow: true })
          return tab?.url
        }),
      )
      .toBe(`${siteUrl}article.html`)
    // A background tab paints no frames for Playwright's checks; the click itself is the same.
    await panel
      .getByRole('button', { name: messages.text('ui_article_button') })
      .dispatchEvent('click')
    const dialog = article.locator('#pagereel-picker [role=dialog]')
    await dialog.waitFor({ state: 'visible', timeout: 15_000 })
    expect(
      await dialog
        .getByRole('textbox', { name: messages.text('article_title_label') })
        .inputValue(),
    ).toBe(TITLE)
    expect(await tour.pickerImages(article)).toEqual(
      ['img/hero-1600.jpg', 'img/coast-1200.jpg', 'img/tiles-1200.jpg'].map((p) => siteUrl + p),
    )
    expect(await panel.getByRole('status').count()).toBe(0)
  })
})
