import { browser, type Browser } from 'wxt/browser'
import type { ExportJob } from '../../shared/api/index.ts'
import { describeError } from '../../shared/errors/table.ts'
import type { WorkerClient } from '../utils/api/index.ts'
import { safeFileName } from '../utils/file-name.ts'
import { downloadJob } from '../utils/job-download.ts'
import { currentLang, t } from '../utils/i18n.ts'
import { jobsItem, notificationsItem } from '../utils/storage.ts'
import { isLocalJobId } from '../render/local-jobs.ts'
import { downloadLocalJob } from './render-here.ts'

/** Firefox throws on `buttons`; Chrome shows them (and a click on the body downloads too). */
function supportsButtons(): boolean {
  // BROWSER rather than FIREFOX: under vitest the boolean globals arrive as strings ("false").
  return import.meta.env.BROWSER !== 'firefox'
}

function iconUrl(): string {
  return browser.runtime.getURL('/icons/128.png')
}

/** Raises "Your video is ready" with a Download button where the browser has buttons. */
export async function notifyCompleted(job: ExportJob): Promise<void> {
  const fileName = safeFileName(job.fileName)
  const options: Browser.notifications.NotificationCreateOptions = {
    type: 'basic',
    iconUrl: iconUrl(),
    title: t('notif_ready_title'),
    message: t('notif_ready_message', [job.preset, fileName]),
  }
  let id: string
  try {
    id = await browser.notifications.create(`job:${job.jobId}`, {
      ...options,
      ...(supportsButtons()
        ? { buttons: [{ title: t('notif_download') }], requireInteraction: true }
        : {}),
    })
  } catch {
    id = await browser.notifications.create(`job:${job.jobId}`, options)
  }
  await notificationsItem.update((n) => ({ map: { ...n.map, [id]: job.jobId } }))
}

/** A failed job notifies with its reason, in the user's language. */
export async function notifyFailed(job: ExportJob): Promise<void> {
  const code = job.error?.code ?? 'render_failed'
  const reason = describeError(code, { params: job.error?.params }).message[currentLang()]
  await browser.notifications.create(`job-failed:${job.jobId}`, {
    type: 'basic',
    iconUrl: iconUrl(),
    title: t('notif_failed_title'),
    message: t('notif_failed_message', [job.preset, reason]),
  })
}

/**
 * A click on a job notification (body or button): finds the job through storage, so it works
 * after the background was stopped, and downloads the file with a safe name.
 */
export async function handleNotificationClick(
  notificationId: string,
  api: WorkerClient,
): Promise<boolean> {
  const jobId = (await notificationsItem.getValue()).map[notificationId]
  if (!jobId) return false
  await browser.notifications.clear(notificationId).catch(() => false)
  const followed = (await jobsItem.getValue()).jobs.find((j) => j.job.jobId === jobId)?.job
  try {
    // A job rendered on this device downloads its kept file; a cloud job, through the worker.
    if (isLocalJobId(jobId)) await downloadLocalJob(jobId)
    else await downloadJob(jobId, followed?.fileName, api)
  } catch {
    await browser.notifications
      .create({
        type: 'basic',
        iconUrl: iconUrl(),
        title: t('ext_name'),
        message: t('notif_download_failed'),
      })
      .catch(() => {})
    return false
  }
  await notificationsItem.update((n) => {
    const { [notificationId]: _, ...rest } = n.map
    return { map: rest }
  })
  return true
}
