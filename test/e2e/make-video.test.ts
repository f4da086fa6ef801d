import { basename } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForNewDownload } from './lib/downloads.ts'
import { probeVideo } from './lib/media-probe.ts'
import { Messages } from './lib/messages.ts'
import { screenshotNotification } from './lib/notification-card.ts'
import { recordNotifications, waitForNotification } from './lib/notifications.ts'
import { Tour } from './lib/tour.ts'
import { waitFor } from '../../scripts/lib/wait.ts'
import { readRun, readState } from '../../scripts/lib/worker-api.ts'
import { PRESET_SIZES } from '../../shared/api/exports.ts'
import { describeError } from '../../shared/errors/table.ts'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'

// One person's session, step by step: each `it` continues where the previous one left off.
describe('making a video from a page, as a person does', () => {
  const env = e2e()
  let browser: TestBrowser
  let tour: Tour
  let messages: Messages
  let site: Page
  let popup: Page
  let replies = 0
  /** The anonymous user id of the register link: the account the user registers owns the project. */
  let bindId = ''

  beforeAll(async () => {
    messages = new Messages(env.extensionDir)
    browser = await openBrowser('make-video')
    await recordNotifications(browser)
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages, shotsDir: screenshotsDir() })
    site = await tour.openSite()
  })
  /** An error notice in the export panel with this text. */
  const exportNotice = (text: string) =>
    popup.locator('details.panel').locator('.notice-error').filter({ hasText: text }).first()

  afterAll(async () => {
    await env.sim.configure({ timeScale: 0.05 })
    await browser?.close()
  })

  it('collects two images with "Add to video"', async () => {
    await tour.addImage(site, '#hero')
    await tour.addImage(site, '#meadow')
    const tray = await tour.tray()
    expect(tray.map((i) => basename(i.src ?? ''))).toEqual(['hero-1600.jpg', 'meadow-1280.jpg'])
  })

  it('"Make video from these images" in the popup: the reply streams in and the timeline is drawn', async () => {
    popup = await tour.openPopup()
    await expect.poll(() => popup.locator('.tray-items > li').count()).toBe(2)
    await tour.shot(popup, 'popup-tray')
    await tour.makeVideo(popup)
    // Seen while it streams: the reply is marked busy and already has text.
    const partial = await tour.waitForStreamingText(popup)
    expect(partial.length).toBeGreaterThan(0)
    const reply = await tour.waitForReplyDone(popup, ++replies)
    expect(reply.text.startsWith(partial)).toBe(true)
    expect(reply.text.length).toBeGreaterThan(partial.length)
    expect(reply.error).toBe('')
    // The first message names the two images; the tray was sent, so it is empty now.
    await expect
      .poll(() => popup.locator('.msg-user').first().textContent())
      .toBe(messages.text('ui_tray_prompt_images', [2]))
    const bars = await tour.waitForTimeline(popup)
    // One bar per segment of the draft as the worker reads it; the two images are the video track.
    const { key, sessionId } = await tour.stored()
    const state = await readState(env.workerUrl, key!, sessionId!)
    const segments = state.timeline.tracks.flatMap((t) => t.segments)
    expect(bars).toHaveLength(segments.length)
    expect(state.timeline.tracks.find((t) => t.kind === 'video')?.segments).toHaveLength(2)
    await tour.shot(popup.locator('.chat'), 'popup-chat')
    await tour.shot(popup.locator('.tl').locator('xpath=ancestor::details[1]'), 'timeline')
    await tour.shot(popup, 'popup')
  })

  it('"Open in NemoVideo" opens the project in NemoVideo\'s editor through a claim link', async () => {
    const opened = browser.context.waitForEvent('page')
    await popup.getByRole('button', { name: messages.text('ui_open_in_nemo') }).click()
    const editor = await opened
    await editor.waitForLoadState()
    const url = new URL(editor.url())
    expect(`${url.origin}${url.pathname}`).toBe(`${env.nemoWebUrl}workspace/claim`)
    // A claim token, never a backend or installation token.
    expect(url.searchParams.get('ct')).toMatch(/^clm_/)
    expect(editor.url()).not.toMatch(/nmv_|inst_/)
    await editor.close()
  })

  it('an edit that answers without text shows the state summary instead', async () => {
    await env.sim.nextTurn({ noText: true })
    await tour.send(popup, 'make it shorter')
    const reply = await tour.waitForReplyDone(popup, ++replies)
    expect(reply.text).toBe('')
    expect(reply.error).toBe('')
    expect(reply.summary).toMatch(/\S/)
    // The summary describes the draft as it is now: the timeline panel shows the same.
    await expect.poll(() => popup.locator('.timeline-summary').textContent()).toBe(reply.summary)
  })

  it('closing the popup mid-reply loses nothing: reopened, the reply completes as the worker has it', async () => {
    // Slow turns down so the reply is surely still streaming when the popup closes.
    await env.sim.configure({ timeScale: 0.4 })
    await env.sim.nextTurn({ noText: false })
    await tour.send(popup, 'add music')
    replies++
    const partial = await tour.waitForStreamingText(popup)
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
    // Every earlier line is still there, once.
    expect(await popup.locator('.msg-reply').count()).toBe(replies)
    expect(await popup.locator('.msg-user').count()).toBe(replies)
  })

  it('export 9:16 on the free plan is refused with the reason and both ways out', async () => {
    await tour.exportPresets(popup, ['9:16'])
    const notice = exportNotice(describeError('plan_required').message.en)
    await notice.waitFor({ timeout: 30_000 })
    // Register (the link carries this installation's bind id) or set one's own API token.
    await expect
      .poll(() => notice.getByRole('button').allTextContents())
      .toEqual(
        expect.arrayContaining([
          messages.text('ui_action_register'),
          messages.text('ui_action_set_token'),
        ]),
      )
    const registerOpened = browser.context.waitForEvent('page')
    await notice.getByRole('button', { name: messages.text('ui_action_register') }).click()
    const register = await registerOpened
    await register.waitForLoadState()
    const url = new URL(register.url())
    expect(`${url.origin}${url.pathname}`).toBe(`${env.nemoWebUrl}register`)
    expect(url.searchParams.get('bind')).toMatch(/^anon_\w+$/)
    bindId = url.searchParams.get('bind') ?? ''
    await register.close()
    expect((await tour.stored()).jobs).toEqual([])
  })

  it('"Set your API token" opens the options, which take the token once and keep nothing', async () => {
    const notice = exportNotice(describeError('plan_required').message.en)
    const optionsOpened = browser.context.waitForEvent('page')
    await notice.getByRole('button', { name: messages.text('ui_action_set_token') }).click()
    const options = await optionsOpened
    await options.waitForURL(/options\.html/)
    // Registered through the link (NemoVideo binds the anonymous user's projects to the account),
    // then created an API token in the account settings.
    const { token } = await env.sim.createUserToken({ bind: bindId })
    await options.locator('#api-token').fill(token)
    await options.getByRole('button', { name: messages.text('opt_token_send') }).click()
    await options.getByText(messages.text('opt_token_sent')).waitFor()
    await expect
      .poll(() => options.getByTestId('token-status').textContent())
      .toBe(messages.text('opt_token_set'))
    expect(await options.locator('#api-token').inputValue()).toBe('')
    const everything = await (
      await browser.serviceWorker()
    ).evaluate(() => chrome.storage.local.get(null))
    const stored = JSON.stringify(everything)
    expect(stored).not.toContain(token)
    // No backend token (the worker's anonymous ones included) and no client id ever reach the
    // extension: it holds only its own installation key.
    expect(stored).not.toMatch(/nmv_/)
    const clientIds = (await env.sim.log('anonymous-token')).map((e) => e.headers['x-client-id'])
    expect(clientIds.length).toBeGreaterThan(0)
    for (const id of clientIds) expect(stored).not.toContain(id)
    await options.close()
    // Nothing the user collected or wrote is gone from the popup.
    await popup.bringToFront()
    expect(await popup.locator('.msg-reply').count()).toBe(replies)
    expect(await popup.locator('.tl .tl-bar').count()).toBeGreaterThan(0)
  })

  it('after the token is set, the same project exports 9:16, its timeline intact', async () => {
    await popup.bringToFront()
    const bars = await popup.locator('.tl .tl-bar').count()
    await tour.exportPresets(popup, ['9:16'])
    await popup.locator('.jobs .job').first().waitFor({ timeout: 30_000 })
    await expect.poll(async () => (await tour.stored()).jobs.map((j) => j.preset)).toEqual(['9:16'])
    expect(await popup.locator('.msg-reply').count()).toBe(replies)
    expect(await popup.locator('.tl .tl-bar').count()).toBe(bars)
    await tour.shot(
      popup.locator('details.panel').filter({ has: popup.locator('.presets') }),
      'export',
    )
  })

  it('with every extension page closed, the notification appears and its Download button saves the MP4', async () => {
    await browser.closeExtensionPages()
    const shown = await waitForNotification(
      browser,
      (n) => n.title === messages.text('notif_ready_title'),
      90_000,
    )
    expect(shown.buttons).toEqual([messages.text('notif_download')])
    const [job] = (await tour.stored()).jobs
    expect(shown.message).toContain('9:16')
    await screenshotNotification(
      browser.context,
      env.extensionDir,
      shown,
      `${screenshotsDir()}/notification.png`,
    )
    await tour.clickNotificationButton(shown.id, 0)
    const download = await waitForNewDownload(browser, [], 60_000)
    expect(basename(download.filename)).toMatch(/^[\w.-]+\.mp4$/)
    const video = await probeVideo(download.filename)
    expect(video.codec).toBe('h264')
    expect({ width: video.width, height: video.height }).toEqual(PRESET_SIZES['9:16'])
    expect(job?.status).toBeDefined()
    await waitFor('the job to be completed in storage', async () =>
      (await tour.stored()).jobs.find((j) => j.jobId === job!.jobId && j.status === 'completed'),
    )
  })
})
