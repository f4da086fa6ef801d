import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../scripts/lib/wait.ts'
import { e2e } from '../harness.ts'
import { FirefoxTour } from '../lib/firefox-tour.ts'
import { Messages } from '../lib/messages.ts'
import { openFirefox, type TestFirefox } from './harness.ts'

/** The preview canvas's pixels summed per channel: enough to tell a drawn frame and a change. */
const canvasSums = (popup: Page) =>
  popup.$eval('.preview-canvas', (canvas) => {
    const c = canvas as HTMLCanvasElement
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
    const sums = [0, 0, 0]
    for (let i = 0; i < data.length; i += 4) for (let k = 0; k < 3; k++) sums[k]! += data[i + k]!
    return sums.map((s) => s / (data.length / 4))
  })

describe('the timeline and its preview in Firefox', () => {
  const env = e2e()
  let ff: TestFirefox
  let tour: FirefoxTour
  let messages: Messages
  let popup: Page

  beforeAll(async () => {
    messages = new Messages(env.firefoxExtensionDir)
    ff = await openFirefox('preview')
    tour = new FirefoxTour({ ff, siteUrl: env.siteUrl, messages })
    // A registered user with an API token, set in the options as a person does.
    const { token } = await env.sim.createUserToken({ credits: 5000 })
    const options = await ff.openExtensionPage('options.html', '#api-token')
    await options.type('#api-token', token)
    await tour.clickButton(options, messages.text('opt_token_send'))
    await waitFor('the token to be accepted', async () =>
      (await options.$eval('body', (b) => b.innerText)).includes(messages.text('opt_token_sent')),
    )
    await options.close()
  })
  afterAll(async () => {
    await ff?.close()
  })

  it('a project made in the chat draws its timeline, and the preview plays it: the canvas changes and the time runs', async () => {
    popup = await tour.openPopup()
    await tour.send(popup, 'make a video about the sea with music')
    const reply = await tour.waitForReplyDone(popup, 1)
    expect(reply.error).toBe('')
    expect((await tour.waitForTimeline(popup)).length).toBeGreaterThan(0)
    await popup.waitForSelector('.preview-canvas[data-first-frame]', { timeout: 30_000 })
    const still = await canvasSums(popup)
    // Never a black frame: the draft's pictures are on it.
    expect(still.some((v) => v > 30)).toBe(true)
    await tour.clickButton(popup, messages.text('ui_preview_play'))
    await waitFor(
      'the preview to play past 1.2 s',
      async () =>
        Number(await popup.$eval('.preview-seek', (s) => (s as HTMLInputElement).value)) > 1200,
      20_000,
      200,
    )
    const later = await canvasSums(popup)
    expect(later.some((v, i) => Math.abs(v - still[i]!) > 0.5)).toBe(true)
    await tour.clickButton(popup, messages.text('ui_preview_pause'))
    const at = await popup.$eval('.preview-seek', (s) => (s as HTMLInputElement).value)
    await new Promise((r) => setTimeout(r, 400))
    expect(await popup.$eval('.preview-seek', (s) => (s as HTMLInputElement).value)).toBe(at)
  })
})
