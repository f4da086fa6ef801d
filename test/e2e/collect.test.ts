import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Messages } from '../../scripts/lib/messages.ts'
import { Tour } from '../../scripts/lib/tour.ts'
import { e2e, openBrowser, type TestBrowser } from './harness.ts'
import type { Page } from 'playwright-core'

/** The demo page's real images, as the largest candidates the page offers. */
const PAGE_IMAGES = ['img/hero-1600.jpg', 'img/coast-1200.jpg', 'img/tiles-1200.jpg', 'img/meadow-1280.jpg']

describe('collecting from a page', () => {
  let browser: TestBrowser
  let tour: Tour
  let page: Page
  beforeAll(async () => {
    const env = e2e()
    browser = await openBrowser('collect')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages: new Messages(env.extensionDir) })
    page = await tour.openSite()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('"Add to video" on an image adds the largest srcset candidate, and the lazy image its real source', async () => {
    const site = e2e().siteUrl
    const hero = await tour.addImage(page, '#hero')
    expect(hero.src).toBe(`${site}img/hero-1600.jpg`)
    // The lazy image's src is a data: placeholder; the menu resolves its data-src.
    const lazy = await tour.addImage(page, '#lazy')
    expect(lazy.src).toBe(`${site}img/coast-1200.jpg`)
    // Loopback pages are not public: the extension read the bytes to upload them itself.
    expect(hero.blobKey).toBeTruthy()
    expect(lazy.blobKey).toBeTruthy()
  })

  it('the picker offers the page\'s real images once each, without the icon or the tracking pixel', async () => {
    const site = e2e().siteUrl
    const dialog = await tour.openPicker(page)
    const offered = await tour.pickerImages(page)
    expect(offered).toEqual(PAGE_IMAGES.map((p) => site + p))
    // All ticked by default.
    const boxes = dialog.getByRole('checkbox')
    expect(await boxes.count()).toBe(PAGE_IMAGES.length)
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true)
    // The images already in the tray are not added twice.
    const items = await tour.confirmPicker(page, PAGE_IMAGES.length)
    expect(items.map((i) => i.src)).toEqual(PAGE_IMAGES.map((p) => site + p))
  })
})
