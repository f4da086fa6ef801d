import { createModel, signal, type ModelConstructor, type ReadonlySignal } from '@preact/signals'
import type { ApiError, ProjectState, Timeline } from '../../shared/api/index.ts'
import { clientError, type WorkerClient } from '../utils/api/index.ts'
import type { Lang } from '../../shared/i18n/index.ts'
import { currentLang } from '../utils/i18n.ts'
import { apiErrorOf } from './errors.ts'

export interface TimelineDeps {
  api: Pick<WorkerClient, 'getState'>
  /** The UI's language, for the summary (default: the extension's current one). */
  lang?: () => Lang
  /**
   * The last draft read per project on this device: shown at once when a project opens, while the
   * worker is asked again behind it (a returning user's preview needs no network to start).
   */
  remembered?: {
    get(sessionId: string): Promise<ProjectState | undefined>
    set(sessionId: string, state: ProjectState): Promise<void>
  }
}

export interface TimelineModel {
  sessionId: ReadonlySignal<string | undefined>
  state: ReadonlySignal<ProjectState | null>
  loading: ReadonlySignal<boolean>
  error: ReadonlySignal<ApiError | null>
  /** Follows another project (or none): forgets the old draft and reads the new one. */
  setSession(sessionId: string | undefined): void
  /** `GET state`; resolves with it, rejects with the worker's error. */
  refresh(): Promise<ProjectState>
  /** A reply's summary event: the draft as the worker just read it. */
  applySummary(summary: { summary: string; timeline: Timeline }): void
}

/** The current project's draft as a timeline plus its text summary. */
export const TimelineModel: ModelConstructor<TimelineModel, [TimelineDeps]> = createModel(
  (deps: TimelineDeps) => {
    const sessionId = signal<string | undefined>(undefined, { name: 'timeline.sessionId' })
    const state = signal<ProjectState | null>(null, { name: 'timeline.state' })
    const loading = signal(false, { name: 'timeline.loading' })
    const error = signal<ApiError | null>(null, { name: 'timeline.error' })
    let generation = 0

    async function refresh(): Promise<ProjectState> {
      const id = sessionId.peek()
      if (!id) throw clientError('not_found', 'No project yet.')
      const mine = ++generation
      loading.value = true
      try {
        const next = await deps.api.getState(id, (deps.lang ?? currentLang)())
        if (mine === generation) {
          state.value = next
          error.value = null
        }
        void deps.remembered?.set(id, next).catch(() => {})
        return next
      } catch (err) {
        if (mine === generation) error.value = apiErrorOf(err)
        throw err
      } finally {
        if (mine === generation) loading.value = false
      }
    }

    return {
      sessionId,
      state,
      loading,
      error,
      refresh,
      setSession(id: string | undefined) {
        if (id === sessionId.peek()) return
        generation++
        sessionId.value = id
        state.value = null
        error.value = null
        loading.value = false
        if (!id) return
        void refresh().catch(() => {})
        // Only until the fresh read (or a reply's summary) arrives: it never replaces a newer one.
        const mine = generation
        void deps.remembered
          ?.get(id)
          .then((kept) => {
            if (kept && mine === generation && !state.peek()) state.value = kept
          })
          .catch(() => {})
      },
      applySummary({ summary, timeline }) {
        const exportable = timeline.tracks.some((t) => t.segments.length > 0)
        state.value = { ...state.peek(), summary, timeline, exportable }
      },
    }
  },
)
