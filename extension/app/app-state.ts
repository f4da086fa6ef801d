import { computed, effect } from '@preact/signals'
import { clientError, type WorkerClient } from '../utils/api/index.ts'
import type { MessageKey } from '../utils/i18n.ts'
import type { ParsedItem } from '../utils/parsed-item.ts'
import type { FollowedJobs } from '../utils/storage.ts'
import type { ChatHistory } from '../models/chat-history.ts'
import { ChatModel } from '../models/ChatModel.ts'
import { CreditsModel } from '../models/CreditsModel.ts'
import { ExportModel, type ExportDeps } from '../models/ExportModel.ts'
import { LocalRenderModel, type LocalRenderDeps } from '../models/LocalRenderModel.ts'
import { localRendersItem } from '../render/local-renders-item.ts'
import { sendRenderRequest } from '../render/render-messages.ts'
import type { PendingExport } from '../models/pending-exports.ts'
import { PreviewModel, type PreviewDeps, type PreviewSoundStore } from '../models/PreviewModel.ts'
import { ProjectsModel, type ProjectsDeps } from '../models/ProjectsModel.ts'
import { TimelineModel } from '../models/TimelineModel.ts'
import { TrayModel, type TrayDeps } from '../models/TrayModel.ts'
import { keptStates, rememberState } from '../utils/last-state.ts'
import { openHint, setOpenHint } from '../utils/start-read.ts'
import { holdStart, releaseStart, started } from './start-gate.ts'

/** The last draft read per project: shown at once on the next open, read again behind it. */
const readKept = () => keptStates().catch(() => [])
/**
 * The open project's id as this page last saw it, in the page's own localStorage (read without
 * waiting): the open chat's history is read beside the projects instead of after them. Only a
 * hint: a wrong or missing one costs nothing but the usual read.
 */
const hint = { get: openHint, set: setOpenHint }

/** Uploaded tray images' bytes: needed by an upload or the preview's media, not the first paint. */
const uploadedImages = () => import('../utils/uploaded-images.ts')
/** The preview's mute and volume: read once the chat is on screen (start-gate.ts). */
let soundItemLoaded: typeof import('../utils/preview-sound.ts').previewSoundItem | undefined
const soundItem = async () =>
  (soundItemLoaded ??= (await import('../utils/preview-sound.ts')).previewSoundItem)

/** The sound choice in storage.local, reached through its lazily loaded item. */
const previewSoundStore: PreviewSoundStore = {
  get: async () => {
    await started
    return (await soundItem()).getValue()
  },
  // Once loaded, written in the same task as the click or key: a popup closed right after a
  // mute must not lose it (a dynamic import resolves a task later, after the page is gone).
  set: (sound) => soundItemLoaded?.setValue(sound) ?? soundItem().then((i) => i.setValue(sound)),
  watch(cb) {
    let stop: (() => void) | undefined
    let stopped = false
    void started.then(soundItem).then((item) => {
      if (!stopped) stop = item.watch(cb)
    })
    return () => {
      stopped = true
      stop?.()
    }
  },
}

/** Everything the app models need from the platform: worker client, storage, browser. */
type IntentRouter = typeof import('../../shared/intent/router.ts')
let intentRouter: Promise<IntentRouter> | undefined

/**
 * The intent router and its vocabulary are not part of the popup's first paint (issue 14's
 * budget): they load once the chat is on screen, and a message sent before waits for them.
 */
function loadIntentRouter(): Promise<IntentRouter> {
  intentRouter ??= import('../../shared/intent/router.ts').catch((err: unknown) => {
    intentRouter = undefined
    throw err
  })
  return intentRouter
}

export interface AppDeps {
  api: WorkerClient
  storage: {
    chat(sessionId: string): ParsedItem<ChatHistory>
    jobs: ParsedItem<FollowedJobs>
    pendingExports: ParsedItem<PendingExport[]>
    projects: ProjectsDeps['store']
  }
  tray: TrayDeps['tray']
  readBlob: TrayDeps['readBlob']
  pendingIntent: TrayDeps['pendingIntent']
  background: ExportDeps['background']
  links: AppLinks
  t: (key: MessageKey, subs?: ReadonlyArray<string | number>) => string
  /** The backend's language for new sessions. */
  language(): string
  persistEveryMs?: number
  pollMs?: number
  /** Requests of the export on this device; the background's by default. */
  renderHere?: LocalRenderDeps['send']
  /** Media the draft names, for the preview (the worker's media route); without it none loads. */
  fetchMedia?: PreviewDeps['fetchMedia']
}

/** Ways out of the panel: a new tab, the options page, the current tab's article. */
export interface AppLinks {
  openTab(url: string): void
  openOptions(): void
  /**
   * "Make video from this article" on the active tab; call it straight from the click (it may
   * ask for access). Resolves 'refused' when the user said no to the access prompt.
   */
  captureArticle?(): Promise<'started' | 'refused' | 'no-tab'>
}

export interface AppState {
  credits: CreditsModel
  projects: ProjectsModel
  tray: TrayModel
  timeline: TimelineModel
  exports: ExportModel
  /** Exports rendered on this device (no backend, no plan). */
  localRender: LocalRenderModel
  /** The preview player's position and requests, shared with the timeline. */
  preview: PreviewModel
  links: AppLinks
  /** Sends a chat message in the current project, creating the project first if needed. */
  sendChat(text: string): Promise<void>
  dispose(): void
}

/** Builds the UI's models once, wired to each other and to the platform; popup and side panel alike. */
export function createAppState(deps: AppDeps): AppState {
  void started.then(() => loadIntentRouter().catch(() => undefined))
  const { api } = deps
  const hinted = hint.get()
  let early = hinted ? { id: hinted, history: deps.storage.chat(hinted).getValue() } : undefined
  early?.history.catch(() => undefined)
  // A returning user's preview draws as soon as its kept draft is read: its engine's chunk loads
  // from the start, not once the player appears (a chunk costs tens of ms to arrive), and opens
  // the media cache its first frame reads.
  if (hinted)
    void import('../preview/player-engine.ts').then(
      (m) => m.openMediaCache(),
      () => undefined,
    )
  const credits = new CreditsModel({ api })
  // Read at once, beside the projects (the open project's id is not known yet); a later switch of
  // project reads them again.
  const keptAtStart = readKept()
  let startKept: typeof keptAtStart | undefined = keptAtStart
  const timeline = new TimelineModel({
    api,
    remembered: {
      async get(sessionId) {
        const kept = await (startKept ?? readKept())
        startKept = undefined
        return kept.find((s) => s.sessionId === sessionId)?.state
      },
      set: rememberState,
    },
  })
  let exports: ExportModel | undefined
  let tray: TrayModel | undefined

  const projects = new ProjectsModel({
    api,
    store: deps.storage.projects,
    language: deps.language,
    makeChat: (sessionId) =>
      new ChatModel(
        {
          api,
          routeIntent: async (text) => (await loadIntentRouter()).routeIntent(text),
          history: {
            load: (id) => {
              const read = early?.id === id ? early.history : deps.storage.chat(id).getValue()
              early = undefined
              return read
            },
            save: (id, history) => deps.storage.chat(id).setValue(history),
            watch: (id, cb) => deps.storage.chat(id).watch(cb),
          },
          intents: {
            export: (presets) => exports!.start(presets),
            credits: () => credits.refresh(),
            state: () => timeline.refresh(),
            upload: () => tray!.requestPick(),
            preview: () => preview.playFromHere(),
          },
          onSummary: (s) => timeline.applySummary(s),
          onUserMessage: (text) => void projects.nameAfter(sessionId, text).catch(() => {}),
          onTurnEnd: () => {
            void timeline.refresh().catch(() => {})
            void credits.refresh().catch(() => {})
          },
          ...(deps.persistEveryMs !== undefined && { persistEveryMs: deps.persistEveryMs }),
        },
        sessionId,
      ),
  })

  async function sendChat(text: string): Promise<void> {
    const sessionId = await projects.ensureSession()
    const chat = projects.chat.peek()
    if (!chat || chat.sessionId.peek() !== sessionId)
      throw clientError('not_found', 'The project is not open.')
    await chat.whenReady()
    if (chat.busy.peek()) throw clientError('run_in_progress', 'A reply is still running.')
    await chat.send(text)
  }

  exports = new ExportModel({
    api,
    jobs: {
      get: async () => (await deps.storage.jobs.getValue()).jobs.map((j) => j.job),
      watch: (cb) => deps.storage.jobs.watch((v) => cb(v.jobs.map((j) => j.job))),
      upsert: async (fresh) => {
        await deps.storage.jobs.update(({ jobs }) => {
          const byId = new Map(jobs.map((j) => [j.job.jobId, j]))
          for (const job of fresh)
            byId.set(job.jobId, { job, notified: byId.get(job.jobId)?.notified ?? false })
          return { jobs: [...byId.values()] }
        })
      },
    },
    pending: {
      get: () => deps.storage.pendingExports.getValue(),
      set: (list) => deps.storage.pendingExports.setValue(list),
    },
    background: deps.background,
    ensureSession: () => projects.ensureSession(),
    onStarted: () => void credits.refresh().catch(() => {}),
    tokenKind: credits.tokenKind,
    ...(deps.pollMs !== undefined && { pollMs: deps.pollMs }),
  })
  tray = new TrayModel({
    tray: deps.tray,
    readBlob: deps.readBlob,
    api,
    ensureSession: (named) => projects.ensureSession(named),
    sendChat,
    pendingIntent: deps.pendingIntent,
    t: deps.t,
    rememberUpload: async (upload) => (await uploadedImages()).rememberUploadedImage(upload),
  })

  const localRender = new LocalRenderModel({
    renders: {
      get: async () => (await localRendersItem.getValue()).renders,
      watch: (cb) => localRendersItem.watch((v) => cb(v.renders)),
    },
    send: deps.renderHere ?? ((msg) => sendRenderRequest(msg)),
    // The answer kept from an earlier open: asking WebCodecs blocks the page (encode-check.ts).
    encodeSupport: async () => {
      await started
      return (await import('./encode-check.ts')).encodeSupport()
    },
    draft: computed(() => {
      const sessionId = timeline.sessionId.value
      const draft = timeline.state.value?.timeline
      return sessionId && draft
        ? { sessionId, timeline: draft, title: projects.current.value?.title }
        : undefined
    }),
  })

  const preview = new PreviewModel({
    fetchMedia: deps.fetchMedia ?? (() => Promise.reject(new Error('no media access'))),
    // A tray image read locally (blob:, data:, cookie-protected) plays from its own bytes: while
    // in the tray by its source, once uploaded by the backend's URL the draft names.
    localBlob: async (url) => {
      // The uploaded images' chunk loads while the tray is read: a first frame waits for both.
      const uploaded = uploadedImages()
      const item = (await deps.tray.get()).find((i) => i.kind === 'image' && i.src === url)
      if (item?.kind === 'image' && item.blobKey) return deps.readBlob(item.blobKey)
      return (await uploaded).uploadedImageBlob(url)
    },
    exportLink: async (jobId) => (await api.downloadLink(jobId)).url,
    sound: previewSoundStore,
  })

  // A returning user's start is over once the open chat and the preview's first frame (if the
  // kept draft has one) are on screen; anyone else's at once (start-gate.ts).
  if (hinted) {
    holdStart('chat')
    holdStart('frame')
    void keptAtStart.then((kept) => {
      const draft = kept.find((s) => s.sessionId === hinted)?.state.timeline
      if (!draft?.tracks.some((tr) => tr.segments.length)) releaseStart('frame')
    })
  } else releaseStart()
  const stopStart = effect(() => {
    const chat = projects.chat.value
    if (chat) void chat.whenReady().then(() => releaseStart('chat'))
  })

  const stopFollowing = effect(() => {
    const id = projects.current.value?.sessionId
    timeline.setSession(id)
    // Once the projects are read: before that, "none yet" is not an answer.
    if (id) hint.set(id)
  })

  return {
    credits,
    projects,
    tray,
    timeline,
    exports,
    localRender,
    preview,
    links: deps.links,
    sendChat,
    dispose() {
      stopFollowing()
      stopStart()
      for (const m of [
        tray,
        exports,
        localRender,
        preview,
        projects,
        timeline,
        credits,
      ] as Disposable[])
        m[Symbol.dispose]()
    },
  }
}
