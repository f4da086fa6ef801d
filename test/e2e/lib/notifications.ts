import type { ExtensionBrowser } from './browser.ts'
import type { ShownNotification } from './notification-card.ts'
import { waitFor } from '../../../scripts/lib/wait.ts'

/**
 * Headless Chromium shows no OS notifications, so they are read from the extension's service
 * worker: `chrome.notifications.getAll()` for what is showing, and a recorder around
 * `notifications.create` for what each one said (ids, title, message, buttons). The recorder only
 * observes; it lives as long as the service worker does, so install it after every start.
 */
export async function recordNotifications(browser: ExtensionBrowser): Promise<void> {
  const worker = await browser.serviceWorker()
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __shown?: unknown[] }
    if (g.__shown) return
    g.__shown = []
    const api = chrome.notifications as unknown as {
      create: (...args: unknown[]) => Promise<string>
    }
    const create = api.create.bind(api)
    api.create = async (...args: unknown[]) => {
      const id = await create(...args)
      const options = (typeof args[0] === 'string' ? args[1] : args[0]) as {
        title?: string
        message?: string
        iconUrl?: string
        buttons?: Array<{ title: string }>
      }
      g.__shown!.push({
        id,
        title: options.title ?? '',
        message: options.message ?? '',
        iconUrl: options.iconUrl,
        buttons: (options.buttons ?? []).map((b) => b.title),
      })
      return id
    }
  })
}

/** The notifications showing now (ids), from the service worker. */
export async function showingNotifications(browser: ExtensionBrowser): Promise<string[]> {
  const worker = await browser.serviceWorker()
  return Object.keys(await worker.evaluate(() => chrome.notifications.getAll()))
}

/** Waits for a recorded notification that is still showing and matches `match`. */
export async function waitForNotification(
  browser: ExtensionBrowser,
  match: (n: ShownNotification) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<ShownNotification> {
  return await waitFor(
    'a notification',
    async () => {
      const worker = await browser.serviceWorker()
      const shown = await worker.evaluate(async () => {
        const recorded = ((globalThis as unknown as { __shown?: unknown[] }).__shown ??
          []) as Array<{
          id: string
        }>
        const showing = await chrome.notifications.getAll()
        return recorded.filter((n) => showing[n.id])
      })
      return (shown as ShownNotification[]).find(match)
    },
    timeoutMs,
  )
}
