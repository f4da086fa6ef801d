import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2e, openBrowser, type TestBrowser } from './harness.ts'
import { Messages } from './lib/messages.ts'
import { Tour } from './lib/tour.ts'

describe('the options page and the Chinese UI', () => {
  const env = e2e()
  let browser: TestBrowser
  let tour: Tour
  let en: Messages
  let zh: Messages
  beforeAll(async () => {
    en = new Messages(env.extensionDir)
    zh = new Messages(env.extensionDir, 'zh_CN')
    browser = await openBrowser('options', { grantSiteAccess: false })
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages: en })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('the options page shows the worker the build was made for; 中文 there reaches the options and the popup, and back', async () => {
    const options = await browser.openExtensionPage('options.html')
    await expect.poll(() => options.locator('h1').textContent()).toBe(en.text('opt_title'))
    const url = await options.locator('#worker-url').inputValue()
    expect(url.replace(/\/$/, '')).toBe(env.workerUrl.replace(/\/$/, ''))
    await options.locator('#ui-language').selectOption('zh')
    await expect.poll(() => options.locator('h1').textContent()).toBe(zh.text('opt_title'))
    expect(await options.locator('main').getAttribute('lang')).toBe('zh-CN')
    const popup = await tour.openPopup()
    await expect.poll(() => popup.locator('body').innerText()).toContain(zh.text('ui_tray_empty'))
    await popup.close()
    await options.bringToFront()
    await options.locator('#ui-language').selectOption('en')
    await expect.poll(() => options.locator('h1').textContent()).toBe(en.text('opt_title'))
  })
})
