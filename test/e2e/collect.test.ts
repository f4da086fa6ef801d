import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Messages } from './lib/messages.ts'
import { Tour, type StoredChatEntry } from './lib/tour.ts'
import { waitFor } from '../../scripts/lib/wait.ts'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'
import type { Page } from 'playwright-core'

/** The demo page's real images, as the largest candidates the page offers. */
const PAGE_IMAGES = [
  'img/hero-1600.jpg',
  'img/coast-1200.jpg',
  'img/tiles-1200.jpg',
  'img/meadow-1280.jpg',
]

describe('collecting from a page', () => {
  let browser: TestBrowser
  let tour: Tour
  let page: Page
  let messages: Messages
  beforeAll(async () => {
    const env = e2e()
    messages = new Messages(env.extensionDir)
    browser = await openBrowser('collect')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages, shotsDir: screenshotsDir() })
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

  it('the picker offers the page\'s real images once each, without the icon or the tracking pixel; "Make video" starts the video', async () => {
    const site = e2e().siteUrl
    const dialog = await tour.openPicker(page)
    const offered = await tour.pickerImages(page)
    await tour.shot(page, 'picker')
    expect(offered).toEqual(PAGE_IMAGES.map((p) => site + p))
    // All ticked by default.
    const boxes = dialog.getByRole('checkbox')
    expect(await boxes.count()).toBe(PAGE_IMAGES.length)
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true)
    // The images already in the tray are not added twice; "Make video" sends all four. The picker's
    // click opened the side panel (which automation cannot see as a page): its chat is in storage.
    const uploadsBefore = (await e2e().sim.log('upload')).length
    await tour.confirmPicker(page, 0)
    const chat = await waitForChat(tour, (c) =>
      c.some((e) => e.kind === 'reply' && e.status === 'done'),
    )
    expect(chat[0]).toMatchObject({
      kind: 'user',
      text: messages.text('ui_tray_prompt_images', [PAGE_IMAGES.length]),
    })
    expect(chat.find((e) => e.kind === 'reply')?.error).toBeUndefined()
    expect(await tour.tray()).toEqual([])
    // Loopback images are read by the extension and uploaded as files: one upload per image.
    const uploads = (await e2e().sim.log('upload')).slice(uploadsBefore)
    expect(uploads.map((u) => u.status)).toEqual(PAGE_IMAGES.map(() => 200))
  })

  it('"Make video from this text" sends the selection as the script to the open side panel\'s project', async () => {
    const text = await tour.addSelectedText(page, '#story')
    expect(text).toMatch(/^We left before sunrise .* above the cliffs\.$/)
    const script = `${messages.text('ui_tray_prompt_text')}\n${messages.text('ui_tray_prompt_script', [text])}`
    const chat = await waitForChat(
      tour,
      (c) => c.filter((e) => e.kind === 'reply' && e.status === 'done').length === 2,
    )
    expect(chat.filter((e) => e.kind === 'user').map((e) => e.text)).toEqual([
      messages.text('ui_tray_prompt_images', [PAGE_IMAGES.length]),
      script,
    ])
    expect(chat.filter((e) => e.kind === 'reply').every((e) => !e.error)).toBe(true)
    expect(await tour.tray()).toEqual([])
  })
})

/** Waits until the current project's chat in storage satisfies `done`; resolves with it. */
async function waitForChat(
  tour: Tour,
  done: (chat: StoredChatEntry[]) => boolean,
): Promise<StoredChatEntry[]> {
  return await waitFor(
    'the project chat',
    async () => {
      const { chat } = await tour.stored()
      return chat.length && done(chat) ? chat : undefined
    },
    60_000,
  )
}
