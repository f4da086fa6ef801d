import {
  computed,
  createModel,
  effect,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import type { ExportJob, ExportPreset, Timeline } from '../../shared/api/index.ts'
import type { LocalRender } from '../render/local-jobs.ts'
import type { RenderAppMessage, RenderAppReply } from '../render/render-messages.ts'

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
}

export interface LocalRenderModel {
  jobs: ReadonlySignal<readonly ExportJob[]>
  /** The audio codec of a finished render, by job id. */
  audioCodecs: ReadonlySignal<ReadonlyMap<string, string>>
  starting: ReadonlySignal<boolean>
  /** Why the last request failed, in the background's words (shown as a render failure). */
  failure: ReadonlySignal<string | null>
  /** A draft with something to draw is there to render. */
  available: ReadonlySignal<boolean>
  /** Renders `presets` on this device, one job each, without the backend. */
  start(presets: readonly ExportPreset[]): Promise<string[]>
  cancel(jobId: string): Promise<void>
  download(jobId: string): Promise<void>
  dismiss(): void
}

/**
 * The app's side of the export on this device: asks the background to render the draft the app
 * shows (the background renders in a context that outlives the popup), and lists its jobs.
 */
export const LocalRenderModel: ModelConstructor<LocalRenderModel, [LocalRenderDeps]> = createModel(
  (deps: LocalRenderDeps) => {
    const stored = signal<readonly LocalRender[]>([], { name: 'render.stored' })
    const starting = signal(false, { name: 'render.starting' })
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
      failure,
      available,
      async start(presets) {
        const draft = deps.draft.peek()
        if (starting.peek() || !draft || presets.length === 0) return []
        starting.value = true
        failure.value = null
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
      },
    }
  },
)
