import {
  computed,
  createModel,
  effect,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import {
  ExportPreset as ExportPresetSchema,
  TERMINAL_JOB_STATUSES,
  type ApiError,
  type ExportJob,
  type ExportPreset,
  type TokenKind,
} from '../../shared/api/index.ts'
import { isUnreachable, type WorkerClient } from '../utils/api/index.ts'
import { apiErrorOf, newId } from './errors.ts'
import { renderHistory, type RenderHistory } from './job-progress.ts'

/** A preset of a click whose request may not have been answered yet (the popup may close). */
export interface PendingExport {
  sessionId: string
  preset: ExportPreset
  idempotencyKey: string
}

export interface ExportDeps {
  api: Pick<WorkerClient, 'createExport' | 'listExports' | 'cancelExport'>
  /** The jobs the background follows, in extension storage. */
  jobs: {
    get(): Promise<ExportJob[]>
    watch(cb: (jobs: ExportJob[]) => void): () => void
    upsert(jobs: readonly ExportJob[]): Promise<void>
  }
  pending: { get(): Promise<PendingExport[]>; set(list: PendingExport[]): Promise<void> }
  background: {
    /** Tells the background about a new job so it follows it at once. */
    follow(job: ExportJob): void
    /** The background downloads the file through a signed link, with a consistent name. */
    download(jobId: string): Promise<void>
  }
  /** The project exports start for; created on demand. */
  ensureSession: () => Promise<string>
  tokenKind: ReadonlySignal<TokenKind | undefined>
  /** Jobs were created (refresh the credits). */
  onStarted?: () => void
  newId?: () => string
  /** How often the open UI refreshes unfinished jobs itself. */
  pollMs?: number
}

export interface ExportModel {
  selected: ReadonlySignal<readonly ExportPreset[]>
  starting: ReadonlySignal<boolean>
  /** Why the last click failed (plan_required, not_exportable...). */
  error: ReadonlySignal<ApiError | null>
  jobs: ReadonlySignal<readonly ExportJob[]>
  /** Free anonymous accounts may be refused export: say so before they try. */
  anonymous: ReadonlySignal<boolean>
  /** How long this installation's finished exports took, for an estimate without a backend figure. */
  history: ReadonlySignal<RenderHistory | undefined>
  toggle(preset: ExportPreset): void
  /** One job per preset (the selection when none given), each with its own idempotency key. */
  start(presets?: readonly ExportPreset[]): Promise<ExportPreset[]>
  cancel(jobId: string): Promise<void>
  download(jobId: string): Promise<void>
  refresh(): Promise<void>
  dismissError(): void
}

export const ExportModel: ModelConstructor<ExportModel, [ExportDeps]> = createModel(
  (deps: ExportDeps) => {
    const makeId = deps.newId ?? newId
    const selected = signal<readonly ExportPreset[]>(['16:9'], { name: 'export.selected' })
    const starting = signal(false, { name: 'export.starting' })
    const error = signal<ApiError | null>(null, { name: 'export.error' })
    const stored = signal<readonly ExportJob[]>([], { name: 'export.jobs' })
    const presetOrder = (j: ExportJob) => ExportPresetSchema.options.indexOf(j.preset)
    const jobs = computed(() =>
      [...stored.value].sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || presetOrder(a) - presetOrder(b),
      ),
    )
    const anonymous = computed(() => deps.tokenKind.value === 'anonymous')
    const history = computed(() => renderHistory(stored.value))
    const running = computed(() => stored.value.some((j) => !TERMINAL_JOB_STATUSES.has(j.status)))

    effect(() => deps.jobs.watch((list) => (stored.value = list)))
    void deps.jobs.get().then((list) => (stored.value = list))

    effect(() => {
      if (!running.value) return
      void refresh()
      const timer = setInterval(() => void refresh(), deps.pollMs ?? 5000)
      return () => clearInterval(timer)
    })

    async function refresh(): Promise<void> {
      const { jobs: fresh } = await deps.api
        .listExports()
        .catch(() => ({ jobs: [] as ExportJob[] }))
      const known = new Set(stored.peek().map((j) => j.jobId))
      const mine = fresh.filter((j) => known.has(j.jobId))
      if (mine.length) await deps.jobs.upsert(mine)
    }

    // One flush at a time, so two of them never race on the pending list.
    let flushing: Promise<unknown> = Promise.resolve()
    function flush(): Promise<ExportPreset[]> {
      const next = flushing.then(flushOnce)
      flushing = next.catch(() => {})
      return next
    }

    /** Sends every pending request (again, with the same keys) and records the jobs. */
    async function flushOnce(): Promise<ExportPreset[]> {
      const started: ExportPreset[] = []
      let failure: unknown
      for (const p of await deps.pending.get()) {
        try {
          const job = await deps.api.createExport(p.sessionId, {
            preset: p.preset,
            idempotencyKey: p.idempotencyKey,
          })
          await deps.jobs.upsert([job])
          deps.background.follow(job)
          started.push(p.preset)
        } catch (err) {
          failure ??= err
          // Unanswered: the worker may have the job; the next flush asks again with the same key.
          if (isUnanswered(err)) continue
        }
        const left = (await deps.pending.get()).filter((q) => q.idempotencyKey !== p.idempotencyKey)
        await deps.pending.set(left)
      }
      if (failure) throw failure
      return started
    }
    // A click whose answers never arrived (popup closed): same keys, so nothing renders twice.
    void flush().catch(() => {})

    return {
      selected,
      starting,
      error,
      jobs,
      anonymous,
      history,
      toggle(preset: ExportPreset) {
        const now = selected.peek()
        selected.value = now.includes(preset) ? now.filter((p) => p !== preset) : [...now, preset]
      },
      async start(presets?: readonly ExportPreset[]) {
        const chosen = presets?.length ? [...presets] : [...selected.peek()]
        if (starting.peek() || chosen.length === 0) return []
        starting.value = true
        error.value = null
        try {
          const sessionId = await deps.ensureSession()
          const click = makeId()
          const fresh = chosen.map((preset) => ({
            sessionId,
            preset,
            idempotencyKey: `${click}_${preset.replace(':', 'x')}`,
          }))
          await deps.pending.set([...(await deps.pending.get()), ...fresh])
          const started = await flush()
          deps.onStarted?.()
          return started
        } catch (err) {
          error.value = apiErrorOf(err)
          throw err
        } finally {
          starting.value = false
        }
      },
      async cancel(jobId: string) {
        try {
          await deps.jobs.upsert([await deps.api.cancelExport(jobId)])
        } catch (err) {
          error.value = apiErrorOf(err)
        }
      },
      async download(jobId: string) {
        try {
          await deps.background.download(jobId)
        } catch (err) {
          error.value = apiErrorOf(err)
        }
      },
      refresh,
      dismissError() {
        error.value = null
      },
    }
  },
)

function isUnanswered(err: unknown): boolean {
  return isUnreachable(err) && err.code === 'upstream_unavailable'
}
