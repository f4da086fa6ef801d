import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../scripts/lib/wait.ts'
import { e2e } from '../harness.ts'
import { FirefoxTour } from '../lib/firefox-tour.ts'
import { Messages } from '../lib/messages.ts'
import { openFirefox, type TestFirefox } from './harness.ts'

describe('the options page and the Chinese UI in Firefox', () => {
  const env = e2e()
  let ff: TestFirefox
  let tour: FirefoxTour
  let en: Messages
  let zh: Messages
  let options: Page
  beforeAll(async () => {
    en = new Messages(env.firefoxExtensionDir)
    zh = new Messages(env.firefoxExtensionDir, 'zh_CN')
    ff = await openFirefox('options', { grantSiteAccess: false })
    tour = new FirefoxTour({ ff, siteUrl: env.siteUrl, messages: en })
  })
  afterAll(async () => {
    await ff?.close()
  })

  it("runs its event page with the manifest's permissions and registers with the worker without asking", async () => {
    const installation = await waitFor('the installation in storage', async () => {
      const all = await ff.inBackground((bg) => bg.browser.storage.local.get('installation'), null)
      return (all.installation ?? undefined) as { installationId: string; key: string } | undefined
    })
    expect(installation.installationId).toMatch(/^inst_/)
    const me = await fetch(`${env.workerUrl}/v1/installations/me`, {
      headers: { authorization: `Bearer ${installation.key}` },
    })
    expect(me.status).toBe(200)
    const manifest = JSON.parse(
      await readFile(join(env.firefoxExtensionDir, 'manifest.json'), 'utf8'),
    ) as {
      permissions: string[]
    }
    const granted = await ff.inBackground((bg) => bg.browser.permissions.getAll(), null)
    expect([...(granted.permissions ?? [])].sort()).toEqual([...manifest.permissions].sort())
    // Host access is optional: asked for on a user gesture, never granted at install.
    expect(granted.origins ?? []).toEqual([])
    // Firefox's background is an event page, not a service worker.
    const background = await ff.inBackground((bg) => bg.location.pathname, null)
    expect(background).toBe('/_generated_background_page.html')
  })

  it('the options page shows the worker the build was made for, and the token field', async () => {
    options = await ff.openExtensionPage('options.html', '#worker-url')
    expect(await options.$eval('h1', (h) => h.textContent)).toBe(en.text('opt_title'))
    const url = await options.$eval('#worker-url', (i) => (i as HTMLInputElement).value)
    expect(url.replace(/\/$/, '')).toBe(env.workerUrl.replace(/\/$/, ''))
    expect(await options.$('#api-token')).not.toBeNull()
  })

  it('中文 in the options: the options, the popup and the real context menu speak Chinese', async () => {
    await options.select('#ui-language', 'zh')
    await expect.poll(() => options.$eval('h1', (h) => h.textContent)).toBe(zh.text('opt_title'))
    expect(await options.$eval('main', (m) => m.lang)).toBe('zh-CN')
    const popup = await tour.openPopup()
    await expect
      .poll(() => popup.$eval('body', (b) => b.innerText))
      .toContain(zh.text('ui_tray_empty'))
    await popup.close()
    // The background re-creates its menus in the chosen language.
    const site = await tour.openSite()
    await expect
      .poll(() => tour.contextMenuLabels(site, '#hero'))
      .toEqual([zh.text('menu_add_image'), zh.text('menu_make_from_image')])
    // And back: English again everywhere.
    await options.bringToFront()
    await options.select('#ui-language', 'en')
    await expect.poll(() => options.$eval('h1', (h) => h.textContent)).toBe(en.text('opt_title'))
    await expect
      .poll(() => tour.contextMenuLabels(site, '#hero'))
      .toEqual([en.text('menu_add_image'), en.text('menu_make_from_image')])
  })
})
