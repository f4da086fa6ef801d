import { basename } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForNewDownload } from './lib/downloads.ts'
import { probeVideo } from './lib/media-probe.ts'
import { Messages } from './lib/messages.ts'
import { recordNotifications, waitForNotification } from './lib/notifications.ts'
import { Tour } from './lib/tour.ts'
import { waitFor } from '../../scripts/lib/wait.ts'
import { readExport } from '../../scripts/lib/worker-api.ts'
import { PRESET_SIZES, type ExportPreset } from '../../shared/api/exports.ts'
import { e2e, openBrowser, restartWorker, type TestBrowser } from './harness.ts'

// A registered user (own API token) with a finished draft; each test exports it once and takes
// something down while the job runs.
describe('exports survive restarts', () => {
  const env = e2e()
  const messages = new Messages(env.extensionDir)
  let browser: TestBrowser
  let tour: Tour

  const newTour = () => new Tour({ browser, siteUrl: env.siteUrl, messages })

  /** Exports `preset` from a fresh popup and resolves with the job id once the job is listed. */
  async function startExport(preset: ExportPreset): Promise<string> {
    const popup: Page = await tour.openPopup()
    await tour.waitForTimeline(popup)
    await tour.exportPresets(popup, [preset])
    return await waitFor(
      `the ${preset} job in storage`,
      async () =>
        (await tour.stored()).jobs.find((j) => j.preset === preset && j.status !== 'completed')
          ?.jobId,
    )
  }

  /** Waits for the job's notification, clicks Download and checks the MP4. */
  async function expectDownloaded(jobId: string, preset: ExportPreset): Promise<void> {
    const shown = await waitForNotification(browser, (n) => n.id === `job:${jobId}`, 90_000)
    expect(shown.title).toBe(messages.text('notif_ready_title'))
    const before = (
      await (await browser.serviceWorker()).evaluate(() => chrome.downloads.search({}))
    ).map((d) => d.id)
    await tour.clickNotificationButton(shown.id)
    const download = await waitForNewDownload(browser, before, 60_000)
    expect(basename(download.filename)).toMatch(/\.mp4$/)
    const video = await probeVideo(download.filename)
    expect(video.codec).toBe('h264')
    expect({ width: video.width, height: video.height }).toEqual(PRESET_SIZES[preset])
  }

  beforeAll(async () => {
    browser = await openBrowser('restarts')
    tour = newTour()
    await tour.setApiToken((await env.sim.createUserToken()).token)
    const site = await tour.openSite()
    await tour.addImage(site, '#hero')
    await tour.addImage(site, '#meadow')
    const popup = await tour.openPopup()
    await tour.makeVideo(popup)
    const reply = await tour.waitForReplyDone(popup, 1, 60_000)
    expect(reply.error).toBe('')
    await browser.closeExtensionPages()
    await site.close()
    // Renders long enough to still be running when something restarts.
    await env.sim.configure({ render: { mode: 'time', durationMs: 12_000 } })
  })
  afterAll(async () => {
    await env.sim.configure({ render: { mode: 'time', durationMs: 3000 } })
    await browser?.close()
  })

  it('a browser restart while the job runs: the badge and the alarm come back and the job notifies', async () => {
    const jobId = await startExport('16:9')
    const worker = await browser.serviceWorker()
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1')
    browser = await browser.restart()
    tour = newTour()
    await recordNotifications(browser)
    const restarted = await browser.serviceWorker()
    // Still pending after the restart: followed again from storage, the alarm re-created.
    const pending = (await tour.stored()).jobs.find((j) => j.jobId === jobId)
    expect(pending?.status).not.toBe('completed')
    await expect
      .poll(() =>
        restarted.evaluate(() => chrome.alarms.getAll().then((a) => a.map((x) => x.name))),
      )
      .toContain('pagereel-jobs')
    expect(await restarted.evaluate(() => chrome.action.getBadgeText({}))).toBe('1')
    await expectDownloaded(jobId, '16:9')
    await expect.poll(() => restarted.evaluate(() => chrome.action.getBadgeText({}))).toBe('')
  })

  it('a worker restart while the job runs: the job completes and notifies', async () => {
    await recordNotifications(browser)
    const jobId = await startExport('1:1')
    await browser.closeExtensionPages()
    const { key } = await tour.stored()
    expect((await readExport(env.workerUrl, key!, jobId)).status).not.toBe('completed')
    await restartWorker()
    await expectDownloaded(jobId, '1:1')
  })
})
