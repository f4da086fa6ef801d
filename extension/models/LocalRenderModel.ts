import {
  computed,
  createModel,
  effect,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import type { ApiError, ExportJob, ExportPreset, Timeline } from '../../shared/api/index.ts'
import type { EncodeSupport } from '../render/encode-support.ts'
import type { LocalRender } from '../render/local-jobs.ts'
import type { RenderAppMessage, RenderAppReply } from '../render/render-messages.ts'
import { apiErrorOf } from './errors.ts'

export interface LocalDraft {
  sessionId: string
  timeline: Timeline
  title?: string | undefined
}

export interface LocalRenderDeps {
  /** The local renders the background keeps in storage. */
  renders: {
    get(): Promise<readonly LocalRender[]>
    watch(cb: (renders: readonly LocalRender[]) => void): () => void
  }
  /** Sends a request to the background (which owns the renders: the popup may close). */
  send(msg: RenderAppMessage): Promise<RenderAppReply>
  /** The current project's draft, when the app has read one. */
  draft: ReadonlySignal<LocalDraft | undefined>
  /**
   * Whether this browser can encode the export (asked once, before any job; the default asks
   * WebCodecs for the encoder's exact H.264 configuration at every preset's size).
   */
  encodeSupport?: () => Promise<EncodeSupport>
}

export interface StartOptions {
  /**
   * Reads the draft when none is loaded yet (a fresh popup: the timeline model's `refresh`), so
   * "Export here" works before the timeline has been read; `draft` holds it once this resolves.
   */
  readDraft?: () => Promise<unknown>
}

export interface LocalRenderModel {
  jobs: ReadonlySignal<readonly ExportJob[]>
  /** The audio codec of a finished render, by job id. */
  audioCodecs: ReadonlySignal<ReadonlyMap<string, string>>
  starting: ReadonlySignal<boolean>
  /** The draft is being read because "Export here" was pressed before it was loaded. */
  readingDraft: ReadonlySignal<boolean>
  /** Why reading the draft failed (nothing was started; pressing again reads it again). */
  readError: ReadonlySignal<ApiError | null>
  /** Why the last request failed, in the background's words (shown as a render failure). */
  failure: ReadonlySignal<string | null>
  /** A draft with something to draw is there to render. */
  available: ReadonlySignal<boolean>
  /** Whether this browser can encode the export; undefined until known. */
  support: ReadonlySignal<EncodeSupport | undefined>
  /**
   * Renders `presets` on this device, one job each, without the backend. Without a loaded draft
   * it first reads one through `opts.readDraft`; a browser that cannot encode starts nothing.
   */
  start(presets: readonly ExportPreset[], opts?: StartOptions): Promise<string[]>
  cancel(jobId: string): Promise<void>
  download(jobId: string): Promise<void>
  dismiss(): void
}

/**
 * The app's side of the export on this device: asks the background to render the draft the app
 * shows (the background renders in a context that outlives the popup), and lists its jobs. Whether
 * the browser can encode is known before any job: one that cannot never starts one.
 */
export const LocalRenderModel: ModelConstructor<LocalRenderModel, [LocalRenderDeps]> = createModel(
  (deps: LocalRenderDeps) => {
    const stored = signal<readonly LocalRender[]>([], { name: 'render.stored' })
    const starting = signal(false, { name: 'render.starting' })
    const readingDraft = signal(false, { name: 'render.readingDraft' })
    const readError = signal<ApiError | null>(null, { name: 'render.readError' })
    const support = signal<EncodeSupport | undefined>(undefined, { name: 'render.support' })
    const failure = signal<string | null>(null, { name: 'render.failure' })
    const jobs = computed(() => stored.value.map((r) => r.job))
    const audioCodecs = computed(
      () =>
        new Map(
          stored.value.flatMap((r) => (r.audioCodec ? [[r.job.jobId, r.audioCodec] as const] : [])),
        ),
    )
    const available = computed(
      () => !!deps.draft.value?.timeline.tracks.some((t) => t.segments.length > 0),
    )
    // Asked right after the first paint (its own small chunk: the popup's budget).
    const probe =
      deps.encodeSupport ??
      (async () => (await import('../render/encode-support.ts')).probeEncodeSupport())
    const asked = probe().catch((): EncodeSupport => ({
      ok: false,
      reason: 'no-h264',
    }))
    void asked.then((s) => (support.value = s))

    effect(() => deps.renders.watch((list) => (stored.value = list)))
    void deps.renders.get().then((list) => (stored.value = list))

    async function request(msg: RenderAppMessage): Promise<RenderAppReply> {
      const reply = await deps.send(msg).catch((err: unknown) => ({
        ok: false as const,
        message: err instanceof Error ? err.message : String(err),
      }))
      if (!reply.ok) failure.value = reply.message ?? 'No answer from the background.'
      return reply
    }

    return {
      jobs,
      audioCodecs,
      starting,
      readingDraft,
      readError,
      failure,
      available,
      support,
      async start(presets, opts = {}) {
        if (starting.peek() || readingDraft.peek() || presets.length === 0) return []
        failure.value = null
        readError.value = null
        if (!(await asked).ok) return []
        if (!deps.draft.peek() && opts.readDraft) {
          readingDraft.value = true
          try {
            await opts.readDraft()
          } catch (err) {
            readError.value = apiErrorOf(err)
            return []
          } finally {
            readingDraft.value = false
          }
        }
        const draft = deps.draft.peek()
        if (!draft || !draft.timeline.tracks.some((t) => t.segments.length > 0)) return []
        starting.value = true
        try {
          const reply = await request({
            type: 'render-here',
            sessionId: draft.sessionId,
            presets: [...presets],
            timeline: draft.timeline,
            ...(draft.title && { title: draft.title }),
          })
          return reply.ok && 'jobIds' in reply ? (reply.jobIds ?? []) : []
        } finally {
          starting.value = false
        }
      },
      async cancel(jobId) {
        await request({ type: 'render-here-cancel', jobId })
      },
      async download(jobId) {
        await request({ type: 'render-here-download', jobId })
      },
      dismiss() {
        failure.value = null
        readError.value = null
      },
    }
  },
)
