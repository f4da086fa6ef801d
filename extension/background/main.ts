import type { browser as wxtBrowser } from 'wxt/browser'
import type { WorkerClient } from '../utils/api/index.ts'
import {
  handleArticleChosen,
  handleMenuClick,
  handlePickerChosen,
  startCapture,
} from './capture.ts'
import { initI18n, onLanguageChange } from '../utils/i18n.ts'
import { ensureRegistered, getWorkerClient } from '../utils/installation.ts'
import { handleNotificationClick } from './job-notifications.ts'
import { followJobs, JOBS_ALARM, pollJobs, syncJobsAlarm, updateBadge } from './jobs-follower.ts'
import { createMenus } from './menus.ts'
import { BackgroundMessage, type BackgroundReply } from '../utils/messages.ts'
import { openPanel } from './open-panel.ts'
import { handleRenderMessage, startRenderHere } from './render-here.ts'
import type { RenderAppReply } from '../render/render-messages.ts'

type Browser = typeof wxtBrowser

/** The Chrome command that opens the side panel (Firefox has `_execute_sidebar_action`). */
export const OPEN_PANEL_COMMAND = 'open-side-panel'

/**
 * The background's composition root. Every listener is added synchronously, on every start, so
 * an event that woke a stopped worker (a notification click, an alarm, a menu click) finds its
 * listener; all state they need is in storage.
 */
export function startBackground(b: Browser, api: WorkerClient = getWorkerClient()): void {
  b.runtime.onInstalled.addListener((details) => {
    void createMenus().catch(() => {})
    if (details.reason !== 'install') return
    void ensureRegistered()
    // A new install says hello: the three ways in, once.
    void Promise.resolve()
      .then(() => b.tabs.create({ url: b.runtime.getURL('/welcome.html') }))
      .catch(() => {})
  })
  b.runtime.onStartup.addListener(() => void resume())
  b.contextMenus.onClicked.addListener((info, tab) => void handleMenuClick(info, tab))
  b.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === JOBS_ALARM) void pollJobs(api).catch(() => {})
  })
  b.notifications.onClicked.addListener((id) => void handleNotificationClick(id, api))
  // Firefox has no buttons, and older versions no such event.
  b.notifications.onButtonClicked?.addListener((id) => void handleNotificationClick(id, api))
  b.commands?.onCommand?.addListener((command, tab) => {
    if (command === OPEN_PANEL_COMMAND) void openPanel(tab?.windowId)
  })
  b.runtime.onMessage.addListener(
    (raw: unknown, sender, sendResponse: (reply: BackgroundReply | RenderAppReply) => void) => {
      const render = handleRenderMessage(b, raw, sender, sendResponse)
      if (render !== 'not-mine') return render
      const parsed = BackgroundMessage.safeParse(raw)
      if (!parsed.success) return false
      const work = routeMessage(b, parsed.data, sender, api)
      if (!work) return false
      work.then(
        (itemIds) => sendResponse({ ok: true, itemIds }),
        (err: unknown) =>
          sendResponse({ ok: false, message: err instanceof Error ? err.message : String(err) }),
      )
      return true
    },
  )
  // The export on this device: its own messages, jobs and renderer (offscreen document).
  startRenderHere()
  // The language chosen in the options applies to menus and notifications too.
  void initI18n().then(
    () => onLanguageChange(() => void createMenus().catch(() => {})),
    () => {},
  )
  void resume()
}

/** Re-creates what a restart loses: the jobs alarm and the badge; retries a failed first run. */
async function resume(): Promise<void> {
  await syncJobsAlarm().catch(() => {})
  await updateBadge().catch(() => {})
  await ensureRegistered()
}

/**
 * Runs a message synchronously up to its first `await` (so a panel opens on the sender's user
 * gesture). Content scripts may only send the picker's choice; captures and jobs come from the
 * extension's own pages.
 */
function routeMessage(
  b: Browser,
  msg: BackgroundMessage,
  sender: { tab?: { id?: number; windowId?: number }; frameId?: number; url?: string; id?: string },
  api: WorkerClient,
): Promise<string[] | undefined> | undefined {
  // An extension page may be open in a tab (options, a popup opened by tests); a content script's
  // sender URL is the web page's.
  const fromExtensionPage =
    sender.id === b.runtime.id && (sender.url ?? '').startsWith(b.runtime.getURL('/'))
  switch (msg.type) {
    case 'picker-chosen':
      return sender.tab ? handlePickerChosen(msg.images, msg.pageUrl, sender) : undefined
    case 'article-chosen':
      return sender.tab ? handleArticleChosen(msg, sender) : undefined
    case 'capture':
      return fromExtensionPage ? startCapture(msg) : undefined
    case 'follow-jobs':
      return fromExtensionPage ? followJobs(msg.jobs, api).then(() => undefined) : undefined
  }
}
