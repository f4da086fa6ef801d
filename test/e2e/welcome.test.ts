import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'
import { Messages } from './lib/messages.ts'
import { canvasGrid } from './lib/canvas-grid.ts'
import { meanDiff } from '../lib/mean-grid.ts'

/** The demo canvas as 8×4 cells of mean colour (enough to tell two frames apart). */
const canvasCells = (page: Page) => canvasGrid(page.locator('.demo-canvas'), 8, 4, 2)

/** Not a blank frame: several cells differ from each other (a picture, not one flat fill). */
const spread = (cells: number[]) => Math.max(...cells) - Math.min(...cells)

describe('the welcome page', () => {
  const env = e2e()
  let browser: TestBrowser
  let en: Messages
  let zh: Messages
  beforeAll(async () => {
    en = new Messages(env.extensionDir)
    zh = new Messages(env.extensionDir, 'zh_CN')
    browser = await openBrowser('welcome', { grantSiteAccess: false })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('plays its demo through the preview’s compositor: real pictures, frames that change over time', async () => {
    const page = await browser.openExtensionPage('welcome.html')
    await page.locator('.demo-canvas[data-first-frame]').waitFor({ timeout: 20_000 })
    const first = await canvasCells(page)
    expect(spread(first)).toBeGreaterThan(40)
    const play = page.getByRole('button', { name: en.text('welcome_play'), exact: true })
    await play.click()
    await expect
      .poll(() => page.locator('.demo progress').evaluate((p: HTMLProgressElement) => p.value))
      .toBeGreaterThan(1500)
    const later = await canvasCells(page)
    expect(spread(later)).toBeGreaterThan(40)
    // Pan and zoom move the picture even within one part of the demo.
    expect(meanDiff(first, later)).toBeGreaterThan(0.5)
    // Past the title: the next picture, and the first way in under the video.
    await expect
      .poll(() => page.locator('.demo progress').evaluate((p: HTMLProgressElement) => p.value), {
        timeout: 20_000,
      })
      .toBeGreaterThan(6000)
    expect(meanDiff(first, await canvasCells(page))).toBeGreaterThan(5)
    await expect
      .poll(() => page.locator('.demo-caption').textContent())
      .toBe(en.text('welcome_image_how'))
    await page.getByRole('button', { name: en.text('welcome_pause'), exact: true }).click()
    await page.screenshot({ path: join(screenshotsDir(), 'welcome.png'), fullPage: true })
    await page.close()
  })

  it('speaks Chinese with a Chinese UI: the page, the captions and the video’s title', async () => {
    const worker = await browser.serviceWorker()
    // 中文 chosen on the options page: the setting every extension page reads at start.
    await worker.evaluate(async () => {
      const { settings } = await chrome.storage.local.get('settings')
      await chrome.storage.local.set({ settings: { ...(settings ?? {}), uiLanguage: 'zh' } })
    })
    const page = await browser.openExtensionPage('welcome.html')
    await expect.poll(() => page.locator('h1').textContent()).toBe(zh.text('welcome_title'))
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await page.locator('.demo-canvas[data-first-frame]').waitFor({ timeout: 20_000 })
    expect(await page.locator('.demo-canvas').getAttribute('aria-label')).toBe(
      zh.text('welcome_demo_title'),
    )
    expect(await page.locator('.demo-caption').textContent()).toBe(zh.text('welcome_demo_intro'))
    expect(await page.locator('.ways').innerText()).toContain(zh.text('menu_make_from_article'))
    await page.getByRole('button', { name: zh.text('welcome_play'), exact: true }).click()
    await expect
      .poll(() => page.locator('.demo-caption').textContent(), { timeout: 20_000 })
      .toBe(zh.text('welcome_image_how'))
    await page.close()
  })
})
