import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../scripts/lib/wait.ts'
import { readRun, readState } from '../../../scripts/lib/worker-api.ts'
import { PRESET_SIZES } from '../../../shared/api/exports.ts'
import { describeError } from '../../../shared/errors/table.ts'
import { e2e } from '../harness.ts'
import { FirefoxTour } from '../lib/firefox-tour.ts'
import { probeVideo } from '../lib/media-probe.ts'
import { Messages } from '../lib/messages.ts'
import { openFirefox, type TestFirefox } from './harness.ts'

// One person's session in Firefox, step by step: each `it` continues where the previous one left off.
describe('making a video from a page in Firefox', () => {
  const env = e2e()
  let ff: TestFirefox
  let tour: FirefoxTour
  let messages: Messages
  let site: Page
  let popup: Page
  let replies = 0

  beforeAll(async () => {
    messages = new Messages(env.firefoxExtensionDir)
    ff = await openFirefox('make-video')
    tour = new FirefoxTour({ ff, siteUrl: env.siteUrl, messages })
    site = await tour.openSite()
  })
  afterAll(async () => {
    await env.sim.configure({ timeScale: 0.05 })
    await ff?.close()
  })
  /** The export panel's error notice with this text, if it shows. */
  const exportNotice = (text: string) =>
    popup.waitForSelector(
      `::-p-xpath(//details[contains(@class,"panel")]//*[contains(@class,"notice-error")][contains(., ${JSON.stringify(text)})])`,
      {
        timeout: 30_000,
      },
    )

  it('collects two images with "Add to video"', async () => {
    await tour.addImage(site, '#hero')
    await tour.addImage(site, '#meadow')
    const { tray } = await tour.stored()
    expect(tray.map((i) => basename(i.src ?? ''))).toEqual(['hero-1600.jpg', 'meadow-1280.jpg'])
  })

  it('"Make video from these images" in the popup: the reply streams in and the timeline is drawn', async () => {
    popup = await tour.openPopup()
    await expect.poll(() => popup.$$eval('.tray-items > li', (els) => els.length)).toBe(2)
    await tour.clickButton(popup, messages.text('ui_tray_make_video'))
    const partial = await tour.waitForStreamingText(popup)
    const reply = await tour.waitForReplyDone(popup, ++replies)
    expect(reply.text.startsWith(partial)).toBe(true)
    expect(reply.error).toBe('')
    const bars = await tour.waitForTimeline(popup)
    const { key, sessionId } = await tour.stored()
    const state = await readState(env.workerUrl, key!, sessionId!)
    expect(bars).toHaveLength(state.timeline.tracks.flatMap((t) => t.segments).length)
    expect(state.timeline.tracks.find((t) => t.kind === 'video')?.segments).toHaveLength(2)
  })

  it('closing the popup mid-reply loses nothing: reopened, the reply completes as the worker has it', async () => {
    await env.sim.configure({ timeScale: 0.4 })
    await env.sim.nextTurn({ noText: false })
    await tour.send(popup, 'add music')
    replies++
    const partial = await tour.waitForStreamingText(popup).catch(async (e: Error) => {
      throw new Error(
        `${e.message}; the popup shows: ${await popup.$eval('body', (b) => b.innerText)}`,
      )
    })
    await popup.close()
    await env.sim.configure({ timeScale: 0.05 })
    popup = await tour.openPopup()
    const reply = await tour.waitForReplyDone(popup, replies)
    const { key, sessionId, chat } = await tour.stored()
    const stored = chat.filter((e) => e.kind === 'reply')[replies - 1]!
    const run = await readRun(env.workerUrl, key!, sessionId!, stored.runId!)
    expect(reply.text.startsWith(partial)).toBe(true)
    expect(reply.text).toBe(run.text)
    expect(stored.status).toBe('done')
    expect(await popup.$$eval('.msg-reply', (els) => els.length)).toBe(replies)
  })

  it('export 9:16 on the free plan is refused (402); "Use my own API token" opens the options, which take the token', async () => {
    await tour.exportPresets(popup, ['9:16'])
    const notice = await exportNotice(describeError('plan_required').message.en)
    expect(
      await notice!.evaluate((n) => [...n.querySelectorAll('button')].map((b) => b.textContent)),
    ).toContain(messages.text('ui_action_set_token'))
    expect((await tour.stored()).jobs).toEqual([])
    // Registering through the link (it carries this installation's bind id) keeps the project.
    const register = await waitForNewPage(() =>
      tour.clickButton(popup, messages.text('ui_action_register')),
    )
    const url = new URL(register.url())
    expect(`${url.origin}${url.pathname}`).toBe(`${env.nemoWebUrl}register`)
    const bind = url.searchParams.get('bind') ?? ''
    expect(bind).toMatch(/^anon_\w+$/)
    await register.close()
    await tour.clickButton(popup, messages.text('ui_action_set_token'))
    const options = await waitFor('the options page', async () => {
      for (const page of await ff.extensionPages()) {
        if ((await page.evaluate(() => location.pathname)) === '/options.html') return page
      }
      return undefined
    })
    await options.waitForSelector('#api-token', { timeout: 15_000 })
    const { token } = await env.sim.createUserToken({ bind })
    await options.type('#api-token', token)
    await tour.clickButton(options, messages.text('opt_token_send'))
    await expect
      .poll(() => options.$eval('[data-testid=token-status]', (e) => e.textContent))
      .toBe(messages.text('opt_token_set'))
    expect(await options.$eval('#api-token', (e) => (e as HTMLInputElement).value)).toBe('')
    const stored = JSON.stringify(
      await ff.inBackground((bg) => bg.browser.storage.local.get(null), null),
    )
    expect(stored).not.toContain(token)
    expect(stored).not.toMatch(/nmv_/)
    await options.close()
  })

  /** Runs `action` and resolves with the web page it opened in a new tab, once loaded. */
  async function waitForNewPage(action: () => Promise<void>): Promise<Page> {
    const before = new Set(await ff.browser.pages())
    await action()
    const page = await waitFor('a new tab', async () =>
      (await ff.browser.pages()).find((p) => !before.has(p)),
    )
    await page.waitForFunction(
      () => location.protocol.startsWith('http') && document.readyState === 'complete',
    )
    return page
  }

  it('with the token set, the export starts; with every extension page closed, the notification shows and its click saves the MP4', async () => {
    await popup.bringToFront()
    await tour.exportPresets(popup, ['9:16'])
    await popup.waitForSelector('.jobs .job', { timeout: 30_000 })
    await expect.poll(async () => (await tour.stored()).jobs.map((j) => j.preset)).toEqual(['9:16'])
    await ff.closeExtensionPages()
    expect(await ff.extensionPages()).toEqual([])
    // The event page follows the job on its alarm and raises the notification by itself.
    const title = messages.text('notif_ready_title')
    const shown = await waitFor(
      'the "ready" notification',
      async () => (await ff.notifications()).find((n) => n.title === title),
      90_000,
      500,
    )
    expect(shown.message).toMatch(/^9:16 · [\w.-]+\.mp4$/)
    // Firefox has no notification buttons: a click on the notification downloads.
    await ff.clickNotification(title)
    const file = await waitFor(
      'the MP4 on disk',
      async () => {
        const names = await readdir(ff.downloadsDir).catch(() => [] as string[])
        const mp4 = names.find((n) => n.endsWith('.mp4'))
        if (!mp4 || names.some((n) => n.endsWith('.part'))) return undefined
        const path = join(ff.downloadsDir, mp4)
        return (await stat(path)).size > 0 ? path : undefined
      },
      60_000,
      500,
    )
    expect(basename(file)).toBe(shown.message.split(' · ')[1])
    const video = await probeVideo(file)
    expect(video.codec).toBe('h264')
    expect({ width: video.width, height: video.height }).toEqual(PRESET_SIZES['9:16'])
    await waitFor('the job completed in storage', async () =>
      (await tour.stored()).jobs.find((j) => j.preset === '9:16' && j.status === 'completed'),
    )
  })
})
