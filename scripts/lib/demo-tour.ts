import type { ExtensionBrowser } from '../../test/e2e/lib/browser.ts'
import { waitForNewDownload } from '../../test/e2e/lib/downloads.ts'
import { probeVideo, type VideoInfo } from '../../test/e2e/lib/media-probe.ts'
import { Messages } from '../../test/e2e/lib/messages.ts'
import { screenshotNotification } from '../../test/e2e/lib/notification-card.ts'
import { recordNotifications, waitForNotification } from '../../test/e2e/lib/notifications.ts'
import { Tour } from '../../test/e2e/lib/tour.ts'

export interface DemoTourOptions {
  browser: ExtensionBrowser
  siteUrl: string
  extensionDir: string
  shotsDir: string
  log: (line: string) => void
  /** The user's own NemoVideo API token, set in the options before anything else. */
  apiToken?: string
}

export interface DemoTourResult {
  video?: VideoInfo & { file: string }
}

/**
 * The demo's walk through the product, built from the same steps as the e2e suite: two images
 * with "Add to video", the rest through the page picker, the video made in the popup, the
 * timeline, an export to 9:16, and the notification's Download with every extension page closed.
 */
export async function runDemoTour(options: DemoTourOptions): Promise<DemoTourResult> {
  const { browser, log } = options
  const messages = new Messages(options.extensionDir)
  const tour = new Tour({
    browser,
    siteUrl: options.siteUrl,
    messages,
    shotsDir: options.shotsDir,
    log,
  })
  await recordNotifications(browser)

  if (options.apiToken) await tour.setApiToken(options.apiToken)

  const site = await tour.openSite()
  await tour.addImage(site, '#hero')
  await tour.addImage(site, '#lazy')
  await tour.openPicker(site)
  await tour.shot(site, 'picker')
  // The picker's "Make video" adds the rest and opens the side panel, which starts the video; the
  // popup shows the same project.
  await tour.confirmPicker(site, 0)

  const popup = await tour.openPopup()
  const reply = await tour.waitForReplyDone(popup, 1, 180_000)
  if (reply.error) throw new Error(`the reply failed: ${reply.error}`)
  await tour.waitForTimeline(popup)
  await tour.shot(popup, 'popup')
  await tour.shot(popup.locator('.tl').locator('xpath=ancestor::details[1]'), 'timeline')

  await tour.exportPresets(popup, ['9:16'])
  await popup.locator('.jobs .job').first().waitFor({ timeout: 60_000 })
  await tour.shot(popup, 'popup-export')
  log('close every extension page and wait for the notification')
  await browser.closeExtensionPages()
  const shown = await waitForNotification(
    browser,
    (n) => n.title === messages.text('notif_ready_title'),
    600_000,
  )
  await screenshotNotification(
    browser.context,
    options.extensionDir,
    shown,
    `${options.shotsDir}/notification.png`,
  )
  await tour.clickNotificationButton(shown.id)
  const download = await waitForNewDownload(browser, [], 120_000)
  return { video: { file: download.filename, ...(await probeVideo(download.filename)) } }
}
