import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../scripts/lib/wait.ts'
import { e2e } from '../harness.ts'
import { FirefoxTour } from '../lib/firefox-tour.ts'
import { Messages } from '../lib/messages.ts'
import type { StoredChatEntry } from '../lib/stored-state.ts'
import { openFirefox, type TestFirefox } from './harness.ts'

/** The demo page's real images, as the largest candidates the page offers. */
const PAGE_IMAGES = [
  'img/hero-1600.jpg',
  'img/coast-1200.jpg',
  'img/tiles-1200.jpg',
  'img/meadow-1280.jpg',
]

describe('collecting from a page in Firefox', () => {
  const env = e2e()
  let ff: TestFirefox
  let tour: FirefoxTour
  let page: Page
  let messages: Messages
  beforeAll(async () => {
    messages = new Messages(env.firefoxExtensionDir)
    // No site access granted: the page agent reads the loopback images' bytes (in Chromium's suite
    // the extension reads them itself), the path a Firefox content script once refused.
    ff = await openFirefox('collect', { grantSiteAccess: false })
    tour = new FirefoxTour({ ff, siteUrl: env.siteUrl, messages })
    page = await tour.openSite()
  })
  afterAll(async () => {
    await ff?.close()
  })

  it('"Add to video" in the real context menu adds the largest srcset candidate, and the lazy image its real source', async () => {
    expect(await tour.contextMenuLabels(page, '#hero')).toEqual([
      messages.text('menu_add_image'),
      messages.text('menu_make_from_image'),
    ])
    const hero = await tour.addImage(page, '#hero')
    expect(hero.src).toBe(`${env.siteUrl}img/hero-1600.jpg`)
    const lazy = await tour.addImage(page, '#lazy')
    expect(lazy.src).toBe(`${env.siteUrl}img/coast-1200.jpg`)
    // Loopback pages are not public: the page agent read the bytes for the extension.
    expect(hero.blobKey).toBeTruthy()
    expect(lazy.blobKey).toBeTruthy()
  })

  it('"Make video from this text" opens the sidebar on the menu click; its chat makes the video of the two images with the selection as the script', async () => {
    const text = await tour.addSelectedText(page, '#story')
    expect(text).toMatch(/^We left before sunrise .* above the cliffs\.$/)
    // A menu click is a user action in Firefox: the background opens the sidebar on it.
    await expect
      .poll(() => tour.sidebar())
      .toEqual({ open: true, url: ff.extensionUrl('sidepanel.html') })
    const chat = await waitForChat(tour, (c) =>
      c.some((e) => e.kind === 'reply' && e.status === 'done'),
    )
    expect(chat[0]).toMatchObject({
      kind: 'user',
      text: `${messages.text('ui_tray_prompt_images', [2])}\n${messages.text('ui_tray_prompt_script', [text])}`,
    })
    expect(chat.find((e) => e.kind === 'reply')?.error).toBeUndefined()
    expect((await tour.stored()).tray).toEqual([])
  })

  it('the picker offers the page\'s real images once each; its "Make video" goes to the open sidebar\'s project', async () => {
    await tour.openPicker(page)
    const offered = await tour.pickerImages(page)
    // All ticked by default.
    expect(offered).toEqual(PAGE_IMAGES.map((p) => ({ src: env.siteUrl + p, checked: true })))
    const uploadsBefore = (await env.sim.log('upload')).length
    // A click in the page is no user action for Firefox's sidebar API: the open sidebar takes the
    // picked images up (a closed one would when the user opens it, or the popup).
    await tour.clickPickerButton(page, messages.text('picker_make_video'))
    const chat = await waitForChat(
      tour,
      (c) => c.filter((e) => e.kind === 'reply' && e.status === 'done').length === 2,
    )
    expect(chat.filter((e) => e.kind === 'user')[1]?.text).toBe(
      messages.text('ui_tray_prompt_images', [PAGE_IMAGES.length]),
    )
    expect(chat.filter((e) => e.kind === 'reply').every((e) => !e.error)).toBe(true)
    expect((await tour.stored()).tray).toEqual([])
    // Loopback images are read in the page and uploaded as files: one upload per image.
    const uploads = (await env.sim.log('upload')).slice(uploadsBefore)
    expect(uploads.map((u) => u.status)).toEqual(PAGE_IMAGES.map(() => 200))
  })
})

/** Waits until the current project's chat in storage satisfies `done`; resolves with it. */
async function waitForChat(
  tour: FirefoxTour,
  done: (chat: StoredChatEntry[]) => boolean,
): Promise<StoredChatEntry[]> {
  return await waitFor(
    'the project chat',
    async () => {
      const { chat } = await tour.stored()
      return chat.length && done(chat) ? chat : undefined
    },
    60_000,
    500,
  )
}
