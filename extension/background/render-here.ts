import { browser } from 'wxt/browser'
import { PRESET_SIZES } from '../../shared/api/index.ts'
import { safeFileName } from '../utils/file-name.ts'
import { getInstallationKey } from '../utils/installation.ts'
import { getWorkerUrl } from '../utils/worker-url.ts'
import {
  newLocalJob,
  nextPending,
  takeDueNotifications,
  withCancelled,
  withCompleted,
  withFailed,
  withInterrupted,
  withProgress,
  type LocalRenders,
} from '../render/local-jobs.ts'
import { localRendersItem, renderAudioItem } from '../render/local-renders-item.ts'
import {
  QUERY_TYPES,
  RenderAppMessage,
  RendererEvent,
  RendererReply,
  type RenderAppReply,
  type RendererCommand,
} from '../render/render-messages.ts'
import { notifyCompleted, notifyFailed } from './job-notifications.ts'

type Browser = typeof browser

const FPS = 30
const OFFSCREEN_PATH = '/offscreen.html'

/**
 * The background's side of the export on this device: keeps the local jobs in storage, runs them
 * one at a time in the renderer (Chrome: an offscreen document, which outlives the popup; Firefox,
 * which has no offscreen API: the background page itself), notifies like a cloud export, and
 * downloads the kept file through a blob: URL the renderer makes (a service worker cannot).
 */
export function startRenderHere(): void {
  void resumeRenders().catch(() => {})
}

/**
 * The render messages among everything the background hears (its one `onMessage` listener asks
 * here first): the renderer's events, and the app's requests from extension pages only. Returns
 * true when it will answer through `sendResponse`, as `onMessage` listeners do.
 */
export function handleRenderMessage(
  b: Browser,
  raw: unknown,
  sender: { id?: string; url?: string },
  sendResponse: (reply: RenderAppReply) => void,
): 'not-mine' | boolean {
  const event = RendererEvent.safeParse(raw)
  if (event.success) {
    if (sender.id === b.runtime.id) void onRendererEvent(event.data).catch(() => {})
    return false
  }
  const parsed = RenderAppMessage.safeParse(raw)
  if (!parsed.success) return 'not-mine'
  const fromExtensionPage =
    sender.id === b.runtime.id && (sender.url ?? '').startsWith(b.runtime.getURL('/'))
  if (!fromExtensionPage) return false
  handleAppMessage(parsed.data).then(sendResponse, (err: unknown) =>
    sendResponse({ ok: false, message: err instanceof Error ? err.message : String(err) }),
  )
  return true
}

async function handleAppMessage(msg: RenderAppMessage): Promise<RenderAppReply> {
  switch (msg.type) {
    case 'render-here': {
      const now = new Date()
      const jobs = msg.presets.map((p) => newLocalJob(msg.sessionId, p, msg.title, now, randomId()))
      await save((l) => ({
        renders: [
          ...l.renders,
          ...jobs.map((job) => ({ job, notified: false, timeline: msg.timeline })),
        ],
      }))
      void pump().catch(() => {})
      return { ok: true, jobIds: jobs.map((j) => j.jobId) }
    }
    case 'render-here-cancel':
      await cancelLocalJob(msg.jobId)
      return { ok: true }
    case 'render-here-download':
      await downloadLocalJob(msg.jobId)
      return { ok: true }
    case 'render-here-query':
      if (!QUERY_TYPES.has(msg.command.type)) return { ok: false, message: 'Not a query.' }
      try {
        return await sendToRenderer(msg.command)
      } finally {
        void pump().catch(() => {})
      }
  }
}

const randomId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 20)

/** Changes the stored list; the list is written by the background only, one change at a time. */
let saving: Promise<unknown> = Promise.resolve()
function save(change: (l: LocalRenders) => LocalRenders): Promise<LocalRenders> {
  const next = saving.then(() => localRendersItem.update(change))
  saving = next.catch(() => {})
  return next
}

let pumping: Promise<void> | undefined
let pumpAgain = false

/**
 * Starts the oldest pending render when none is running (the encoder is the cost: one at a time),
 * or closes the idle renderer. A call during a pass makes one more pass, so no request waits.
 */
function pump(): Promise<void> {
  if (pumping) {
    pumpAgain = true
    return pumping
  }
  pumping = (async () => {
    do {
      pumpAgain = false
      await pumpOnce()
    } while (pumpAgain)
  })().finally(() => (pumping = undefined))
  return pumping
}

async function pumpOnce(): Promise<void> {
  for (;;) {
    const list = await localRendersItem.getValue()
    if (list.renders.some((r) => r.job.status === 'processing')) return
    const next = nextPending(list)
    if (!next) return closeIfIdle()
    const jobId = next.job.jobId
    if (!next.timeline) {
      await save((l) => withFailed(l, jobId, 'The draft of this render was lost.', new Date()))
      continue
    }
    await save((l) => withProgress(l, jobId, 0, new Date()))
    const { width, height } = PRESET_SIZES[next.job.preset]
    const reply = await sendToRenderer({
      type: 'renderer-start',
      jobId,
      width,
      height,
      fps: FPS,
      timeline: next.timeline,
      audio: await renderAudioItem.getValue(),
      access: {
        workerUrl: await getWorkerUrl(),
        key: await getInstallationKey().catch(() => undefined),
        sessionId: next.job.sessionId,
      },
    }).catch((err: unknown) => ({ ok: false, message: String(err) }))
    if (reply.ok) return
    const reason = reply.message ?? 'The renderer did not start.'
    await save((l) => withFailed(l, jobId, reason, new Date()))
    await notifyDue()
  }
}

async function onRendererEvent(event: RendererEvent): Promise<void> {
  const now = new Date()
  switch (event.type) {
    case 'renderer-progress':
      await save((l) => withProgress(l, event.jobId, event.percent, now))
      return
    case 'renderer-done':
      await save((l) => withCompleted(l, event.jobId, event, now))
      break
    case 'renderer-failed':
      await save((l) =>
        event.cancelled
          ? withCancelled(l, event.jobId, now)
          : withFailed(l, event.jobId, event.message, now),
      )
      break
  }
  await notifyDue()
  await pump()
}

/** Sends each due completion or failure notification once (the same ones a cloud job raises). */
async function notifyDue(): Promise<void> {
  const due: Awaited<ReturnType<typeof takeDueNotifications>>['due'] = []
  await save((l) => {
    const taken = takeDueNotifications(l)
    due.push(...taken.due)
    return taken.list
  })
  for (const job of due) {
    await (job.status === 'completed' ? notifyCompleted(job) : notifyFailed(job)).catch(() => {})
  }
}

/** Cancel: the job ends at once; the renderer stops and removes its partial file. */
export async function cancelLocalJob(jobId: string): Promise<void> {
  await save((l) => withCancelled(l, jobId, new Date()))
  if (hasOffscreenApi() ? await offscreenOpen() : !!framing) {
    await sendToRenderer({ type: 'renderer-cancel', jobId }).catch(() => {})
    await sendToRenderer({ type: 'renderer-remove-file', jobId }).catch(() => {})
  }
  await pump()
}

/** Downloads a finished local render from its kept file, with the job's file name. */
export async function downloadLocalJob(jobId: string): Promise<number> {
  const render = (await localRendersItem.getValue()).renders.find((r) => r.job.jobId === jobId)
  if (render?.job.status !== 'completed') throw new Error('This render has no file.')
  const reply = await sendToRenderer({ type: 'renderer-file-url', jobId })
  if (!reply.ok || !reply.url) throw new Error('The rendered file is gone.')
  const url = reply.url
  const id = await browser.downloads.download({
    url,
    filename: safeFileName(render.job.fileName),
    saveAs: false,
  })
  revokeWhenDone(id, url)
  return id
}

/** Downloads whose blob: URL the renderer still holds. */
const downloading = new Set<number>()

/** The blob: URL lives until its download ends (the renderer holds it meanwhile). */
function revokeWhenDone(downloadId: number, url: string): void {
  downloading.add(downloadId)
  const listener = (delta: { id: number; state?: { current?: string } }) => {
    if (delta.id !== downloadId) return
    const state = delta.state?.current
    if (state !== 'complete' && state !== 'interrupted') return
    browser.downloads.onChanged.removeListener(listener)
    downloading.delete(downloadId)
    void sendToRenderer({ type: 'renderer-revoke', url })
      .catch(() => {})
      .then(() => pump())
  }
  browser.downloads.onChanged.addListener(listener)
}

/** Chrome: the offscreen document closes when nothing renders or downloads (made on demand). */
async function closeIfIdle(): Promise<void> {
  const api = offscreenApi()
  if (!api || downloading.size > 0 || asking > 0 || !(await offscreenOpen())) return
  await api.closeDocument().catch(() => {})
}

/** On every background start: a render whose renderer went away fails; waiting ones start. */
async function resumeRenders(): Promise<void> {
  const list = await localRendersItem.getValue()
  if (!list.renders.some((r) => r.job.status === 'processing' || r.job.status === 'pending')) return
  let alive = new Set<string>()
  // Firefox's frame went with the page that held it; Chrome's document may outlive the worker.
  if (hasOffscreenApi() && (await offscreenOpen())) {
    const reply = await sendToRenderer({ type: 'renderer-status' }).catch(() => undefined)
    alive = new Set(reply?.running ?? [])
  }
  await save((l) => withInterrupted(l, alive, new Date()))
  await notifyDue()
  await pump()
}

// --- The renderer: an offscreen document on Chrome, a frame of this page on Firefox ---

interface OffscreenApi {
  createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>
  closeDocument(): Promise<void>
}
interface ContextsApi {
  getContexts?(filter: { contextTypes: string[] }): Promise<unknown[]>
}

function offscreenApi(): OffscreenApi | undefined {
  return (browser as unknown as { offscreen?: OffscreenApi }).offscreen
}
const hasOffscreenApi = () => !!offscreenApi()

async function offscreenOpen(): Promise<boolean> {
  const runtime = browser.runtime as unknown as ContextsApi
  const contexts = await runtime.getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'] })
  return !!contexts?.length
}

let creating: Promise<void> | undefined

/** One offscreen document per extension: created once, guarded against concurrent calls. */
async function ensureOffscreen(api: OffscreenApi): Promise<void> {
  if (await offscreenOpen()) return
  creating ??= api
    .createDocument({
      url: OFFSCREEN_PATH,
      // No reason names video encoding; the document draws frames (DOM canvas), keeps blob: URLs
      // for downloads and runs the encoder's workers.
      reasons: ['BLOBS', 'WORKERS'],
      justification: 'Renders the video on this device and hands the file to downloads.',
    })
    .finally(() => (creating = undefined))
  await creating
}

let framing: Promise<void> | undefined

/**
 * Firefox (no offscreen API): the same renderer page in a frame of the background page, which is
 * a document there. The page keeps its own code split (the encoder loads on the first render),
 * and talks to the background by runtime messages as on Chrome.
 */
function ensureFrame(): Promise<void> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH)
  if (document.querySelector(`iframe[src="${url}"]`)) return framing ?? Promise.resolve()
  framing = new Promise<void>((resolve, reject) => {
    const frame = document.createElement('iframe')
    frame.src = url
    frame.addEventListener('load', () => resolve(), { once: true })
    frame.addEventListener('error', () => reject(new Error('The renderer page did not load')), {
      once: true,
    })
    document.body.append(frame)
  })
  return framing
}

/** Commands on their way to the renderer: it is not closed under them. */
let asking = 0

async function sendToRenderer(cmd: RendererCommand): Promise<RendererReply> {
  const api = offscreenApi()
  asking++
  try {
    await (api ? ensureOffscreen(api) : ensureFrame())
    const parsed = RendererReply.safeParse(
      await browser.runtime.sendMessage({ ...cmd, target: 'renderer' }),
    )
    return parsed.success ? parsed.data : { ok: false, message: 'No answer from the renderer.' }
  } finally {
    asking--
  }
}
