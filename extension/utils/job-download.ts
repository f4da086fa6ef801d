import { browser } from 'wxt/browser'
import type { WorkerClient } from './api/index.ts'
import { safeFileName } from './file-name.ts'

/** Downloads a finished export through a short-lived signed link (no key in the URL or headers). */
export async function downloadJob(
  jobId: string,
  fileName: string | undefined,
  api: WorkerClient,
): Promise<number> {
  const link = await api.downloadLink(jobId)
  return browser.downloads.download({
    url: link.url,
    filename: safeFileName(fileName),
    saveAs: false,
  })
}
