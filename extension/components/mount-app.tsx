import { render } from 'preact'
import { browser } from 'wxt/browser'
import { createAppState, type AppDeps } from '../models/app-state.ts'
import { getWorkerClient } from '../utils/installation.ts'
import { getBlob } from '../utils/blob-store.ts'
import { currentLang, initI18n, onLanguageChange, t } from '../utils/i18n.ts'
import { sendToBackground } from '../utils/messages.ts'
import {
  chatItem,
  jobsItem,
  pendingExportsItem,
  pendingIntentItem,
  projectsItem,
} from '../utils/storage.ts'
import { addTrayImages, clearTray, getTrayItems, moveTrayItem, removeTrayItem, watchTray } from '../utils/tray.ts'
import { App } from './App.tsx'

/** The platform side of the app: the real worker client, storage items, tabs and background. */
function platformDeps(): AppDeps {
  const api = getWorkerClient()
  return {
    api,
    storage: { chat: chatItem, jobs: jobsItem, pendingExports: pendingExportsItem, projects: projectsItem },
    tray: { get: getTrayItems, watch: watchTray, remove: removeTrayItem, move: moveTrayItem, clear: clearTray, addImages: addTrayImages },
    readBlob: getBlob,
    pendingIntent: {
      get: () => pendingIntentItem.getValue(),
      watch: (cb) => pendingIntentItem.watch(cb),
      clear: () => pendingIntentItem.setValue(null),
    },
    background: {
      follow: (job) => void sendToBackground({ type: 'follow-jobs', jobs: [job] }).catch(() => {}),
      download: (jobId) => downloadJob(api, jobId),
    },
    links: {
      openTab: (url) => void browser.tabs.create({ url }),
      openOptions: () => void browser.runtime.openOptionsPage(),
    },
    t,
    language: () => (currentLang() === 'zh' ? 'zh-CN' : 'en'),
  }
}

/**
 * Asks the background to download a finished export (`download-job`), so the file name matches
 * the notification's; if the background does not take the message, downloads from here through
 * the same signed link.
 */
async function downloadJob(api: AppDeps['api'], jobId: string): Promise<void> {
  const reply: unknown = await browser.runtime.sendMessage({ type: 'download-job', jobId }).catch(() => undefined)
  if (reply && typeof reply === 'object' && 'ok' in reply && reply.ok === true) return
  const [job, link] = await Promise.all([api.getExport(jobId), api.downloadLink(jobId)])
  const filename = (job.fileName ?? `pagereel-${job.preset.replace(':', 'x')}-${jobId}.mp4`).replace(/[^\w.-]+/g, '_')
  await browser.downloads.download({ url: link.url, filename })
}

/** Mounts the one UI (popup or side panel) into `root`; re-renders when the UI language changes. */
export async function mountApp(root: HTMLElement): Promise<void> {
  await initI18n().catch(() => undefined)
  const state = createAppState(platformDeps())
  const draw = () => {
    document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en'
    document.title = t('ui_app_title')
    render(<App key={currentLang()} state={state} />, root)
  }
  draw()
  onLanguageChange(draw)
  addEventListener('pagehide', () => state.dispose(), { once: true })
}
