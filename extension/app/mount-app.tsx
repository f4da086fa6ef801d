import { effect } from '@preact/signals'
import { render } from 'preact'
import { browser } from 'wxt/browser'
import { createAppState, type AppDeps } from './app-state.ts'
import type { ArticleCapture } from './capture-article.ts'
import { createWorkerClient, type WorkerClientOptions } from '../utils/api/index.ts'
import { fetchSessionMedia } from '../utils/api/media.ts'
import { currentLang, initI18n, t } from '../utils/i18n.ts'
import { downloadJob } from '../utils/job-download.ts'
import { sendToBackground } from '../utils/messages.ts'
import { endStartRead } from '../utils/start-read.ts'
import { jobsItem } from '../utils/storage.ts'
import { getWorkerUrl } from '../utils/worker-url.ts'
import { started } from './start-gate.ts'
import { storeDeps } from './store-deps.ts'
import { App } from './App.tsx'

/**
 * The installation key, with what registers one, loads once the chat is on screen (issue 14's
 * budget, start-gate.ts): the first paint shows what storage has; the first worker call waits.
 */
const getKey: WorkerClientOptions['getKey'] = async (opts) => {
  await started
  return keyNow(opts)
}
/** The key without waiting: the preview's media (the first frame may need the network). */
const keyNow: WorkerClientOptions['getKey'] = async (opts) =>
  (await import('../utils/installation.ts')).getInstallationKey(opts)

/** The platform side of the app: the real worker client, storage items, tabs and background. */
function platformDeps(): AppDeps {
  const api = createWorkerClient({ baseUrl: getWorkerUrl, getKey })
  // Follows whether the active tab can be seen, so a click knows at once if it must ask; loaded
  // once the chat is on screen (issue 14's budget), long before anyone can click.
  let article: ArticleCapture | undefined
  const loading = started
    .then(() => import('./capture-article.ts'))
    .then((m) => (article = m.createArticleCapture()))
  return {
    api,
    ...storeDeps(),
    background: {
      follow: (job) => void sendToBackground({ type: 'follow-jobs', jobs: [job] }).catch(() => {}),
      download: (jobId) => download(api, jobId),
    },
    links: {
      openTab: (url) => void browser.tabs.create({ url }),
      openOptions: () => void browser.runtime.openOptionsPage(),
      captureArticle: () =>
        (article ? article.capture() : loading.then((a) => a.capture())).catch(
          () => 'no-tab' as const,
        ),
    },
    t,
    language: () => (currentLang() === 'zh' ? 'zh-CN' : 'en'),
    fetchMedia: (sessionId, url) =>
      fetchSessionMedia({ baseUrl: getWorkerUrl, getKey: keyNow }, sessionId, url),
  }
}

/**
 * Downloads a finished export through its signed link with the same safe file name the
 * background's notification uses (one shared `downloadJob`).
 */
async function download(api: AppDeps['api'], jobId: string): Promise<void> {
  const followed = (await jobsItem.getValue()).jobs.find((j) => j.job.jobId === jobId)?.job
  const fileName = followed?.fileName ?? (await api.getExport(jobId)).fileName
  await downloadJob(jobId, fileName, api)
}

/**
 * Mounts the one UI (popup or side panel) into `root`. A change of the UI language re-renders
 * what shows text by itself (`t()` reads the language signal); only the document's own language
 * and title follow it here.
 */
export async function mountApp(root: HTMLElement): Promise<void> {
  // What storage held as the page opened answers the start's reads only (utils/start-read.ts).
  void started.then(endStartRead)
  // The models start reading storage (the projects, then the open chat) while the language is
  // read: asked after it, their answers come after it, so the first worker call has the language.
  const i18n = initI18n().catch(() => undefined)
  const state = createAppState(platformDeps())
  await i18n
  const stopTitle = effect(() => {
    document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en'
    document.title = t('ui_app_title')
  })
  render(<App state={state} />, root)
  addEventListener(
    'pagehide',
    () => {
      stopTitle()
      state.dispose()
    },
    { once: true },
  )
}
