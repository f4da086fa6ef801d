import { stat } from 'node:fs/promises'
import type { ExtensionBrowser } from './browser.ts'
import type { DownloadItem } from './chrome-api.ts'
import { waitFor } from '../../../scripts/lib/wait.ts'

/** The browser's downloads, newest first (read in the extension's service worker). */
export async function listDownloads(browser: ExtensionBrowser): Promise<DownloadItem[]> {
  const worker = await browser.serviceWorker()
  return await worker.evaluate(() => chrome.downloads.search({ orderBy: ['-startTime'] }))
}

/**
 * Waits until a download that was not in `before` (ids) has completed and its file is on disk.
 * An interrupted download keeps failing the probe, so the timeout's message names its error.
 */
export async function waitForNewDownload(
  browser: ExtensionBrowser,
  before: readonly number[] = [],
  timeoutMs = 60_000,
): Promise<DownloadItem> {
  return await waitFor(
    'a completed download',
    async () => {
      const fresh = (await listDownloads(browser)).find((d) => !before.includes(d.id))
      if (!fresh) return undefined
      if (fresh.state === 'interrupted') throw new Error(`download interrupted: ${fresh.error}`)
      if (fresh.state !== 'complete') return undefined
      const size = (await stat(fresh.filename).catch(() => undefined))?.size
      return size && size > 0 ? fresh : undefined
    },
    timeoutMs,
  )
}
