import { render } from '@testing-library/preact'
import {
  ChatEvent,
  ClaimLink,
  Credits,
  ExportJob,
  InstallationInfo,
  MessageAccepted,
  ProjectState,
  SendMessageRequest,
  SessionInfo,
  TERMINAL_EVENT_TYPES,
  UploadResult,
  type CreateExportRequest,
} from '../../../shared/api/index.ts'
import { App } from '../../../extension/app/App.tsx'
import { createAppState, type AppState } from '../../../extension/app/app-state.ts'
import type { WorkerClient } from '../../../extension/utils/api/index.ts'
import { t } from '../../../extension/utils/i18n.ts'
import { storeDeps } from '../../../extension/app/store-deps.ts'

export const SESSION = 'ses_AAAAAAAAAAAAAAAA1'
const iso = (ms = Date.now()) => new Date(ms).toISOString()

/**
 * A worker run store: events get session-wide seqs, `streamRun` replays those after `after` and
 * then waits for more, like the worker's SSE with Last-Event-ID. `overlap` replays that many
 * already-seen events on every attach, to prove the UI drops duplicates itself.
 */
export function createFakeRuns({ overlap = 0 } = {}) {
  let seq = 0
  let runCounter = 0
  const runs = new Map<string, { seq: number; event: unknown }[]>()
  const byClientId = new Map<string, string>()
  const wakers = new Set<() => void>()
  const sent: SendMessageRequest[] = []
  const attaches: { runId: string; after: number }[] = []
  /** Each send's streamed answer, and those the model handed to `streamRun` as `opened`. */
  const answers: Response[] = []
  const handedOver: Response[] = []
  let holdSend: Promise<void> | undefined

  const api = {
    async sendMessage(sessionId: string, body: SendMessageRequest) {
      sent.push(SendMessageRequest.parse(body))
      if (holdSend) await holdSend
      let runId = byClientId.get(body.clientMessageId)
      if (!runId) {
        runId = `run_${String(++runCounter).padStart(16, '0')}`
        byClientId.set(body.clientMessageId, runId)
        runs.set(runId, [])
      }
      // The worker answers with the run's events; this fake serves them from `runs` instead.
      const events = new Response('')
      answers.push(events)
      return { ...MessageAccepted.parse({ runId, sessionId }), events }
    },
    async streamRun(
      _sessionId: string,
      runId: string,
      opts: Parameters<WorkerClient['streamRun']>[2],
    ) {
      const after = opts.after ?? 0
      attaches.push({ runId, after })
      if (opts.opened) handedOver.push(opts.opened)
      const events = runs.get(runId) ?? []
      const firstNew = events.findIndex((e) => e.seq > after)
      let cursor = firstNew < 0 ? events.length : Math.max(0, firstNew - overlap)
      for (;;) {
        opts.signal?.throwIfAborted()
        while (cursor < events.length) {
          const e = events[cursor++]!
          opts.onEvent({ seq: e.seq, event: e.event as ChatEvent })
          const type = (e.event as { type?: string }).type
          if (type && TERMINAL_EVENT_TYPES.has(type as ChatEvent['type'])) return e.seq
        }
        await new Promise<void>((resolve, reject) => {
          wakers.add(resolve)
          opts.signal?.addEventListener('abort', () => reject(opts.signal?.reason), { once: true })
        })
      }
    },
  }
  return {
    api,
    sent,
    attaches,
    answers,
    handedOver,
    runIds: () => [...runs.keys()],
    /** Appends an event (validated unless `raw`) to a run and wakes the streams. */
    push(runId: string, event: ChatEvent | Record<string, unknown>, raw = false) {
      const checked = raw ? event : ChatEvent.parse(event)
      runs.get(runId)!.push({ seq: ++seq, event: checked })
      for (const wake of [...wakers]) wake()
      wakers.clear()
    },
    /** Holds every `sendMessage` answer until the returned release is called. */
    holdSends() {
      let release!: () => void
      holdSend = new Promise((r) => (release = r))
      return () => {
        holdSend = undefined
        release()
      }
    },
  }
}

export const STATE_FIXTURE = ProjectState.parse({
  summary:
    'Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)',
  exportable: true,
  timeline: {
    durationMs: 10_000,
    tracks: [
      {
        kind: 'video',
        typeCode: 0,
        label: 'Video',
        segments: [{ label: 'city timelapse', startMs: 0, endMs: 10_000 }],
      },
      {
        kind: 'audio',
        typeCode: 1,
        label: 'BGM',
        segments: [{ label: 'Lo-fi', startMs: 0, endMs: 10_000, volumePercent: 35 }],
      },
      {
        kind: 'text',
        typeCode: 7,
        label: 'Title',
        segments: [{ label: 'Urban Dreams', startMs: 0, endMs: 3_000 }],
      },
    ],
  },
})

/** The rest of the worker client, answering from the shared schemas; every call is recorded. */
export function createFakeWorker(runs = createFakeRuns()) {
  const calls: { method: string; args: unknown[] }[] = []
  const jobs = new Map<string, ExportJob>()
  let sessions = 0
  const base = {
    ...runs.api,
    getCredits: async () =>
      Credits.parse({ available: 90, frozen: 5, total: 100, tokenKind: 'anonymous' }),
    getInstallation: async () =>
      InstallationInfo.parse({
        installationId: 'inst_AAAAAAAAAAAAAAAA',
        tokenKind: 'anonymous',
        registerUrl: 'https://nemo.web.test/register?bind=anon_42',
        createdAt: iso(),
      }),
    createSession: async (language: string) =>
      SessionInfo.parse({
        sessionId: sessions++ === 0 ? SESSION : `ses_BBBBBBBBBBBBBBB${sessions}`,
        language,
        createdAt: iso(),
      }),
    getState: async () => STATE_FIXTURE,
    getSession: async (sessionId: string) =>
      SessionInfo.parse({ sessionId, language: 'en', createdAt: iso() }),
    claim: async () => ClaimLink.parse({ url: 'https://nemo.web.test/workspace/claim?ct=abc' }),
    createExport: async (sessionId: string, body: CreateExportRequest) => {
      const jobId = `job_${body.idempotencyKey
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 40)
        .padEnd(16, '0')}`
      const job =
        jobs.get(jobId) ??
        ExportJob.parse({
          jobId,
          sessionId,
          preset: body.preset,
          width: 1920,
          height: 1080,
          status: 'pending',
          createdAt: iso(),
          updatedAt: iso(),
        })
      jobs.set(jobId, job)
      return job
    },
    listExports: async () => ({ jobs: [...jobs.values()] }),
    cancelExport: async (jobId: string) => {
      const job = ExportJob.parse({ ...jobs.get(jobId)!, status: 'cancelled', updatedAt: iso() })
      jobs.set(jobId, job)
      return job
    },
    uploadUrls: async () => UploadResult.parse({ files: [], applied: true }),
    uploadFiles: async () => UploadResult.parse({ files: [], applied: true }),
    uploadLargeFile: async (..._args: Parameters<WorkerClient['uploadLargeFile']>) =>
      UploadResult.parse({ files: [], applied: true }),
  }
  const overrides: Partial<Record<keyof typeof base, (...args: never[]) => unknown>> = {}
  const api = new Proxy(base, {
    get(target, prop: string) {
      const impl =
        (overrides as Record<string, unknown>)[prop] ?? (target as Record<string, unknown>)[prop]
      if (typeof impl !== 'function') return impl
      return (...args: unknown[]) => {
        calls.push({ method: prop, args })
        return (impl as (...a: unknown[]) => unknown)(...args)
      }
    },
  }) as unknown as WorkerClient
  return {
    api,
    /** The default answers, for an override that wraps one. */
    base,
    runs,
    jobs,
    calls,
    callsOf: (method: string) => calls.filter((c) => c.method === method).map((c) => c.args),
    override<K extends keyof typeof base>(
      method: K,
      impl: (...args: Parameters<(typeof base)[K]>) => unknown,
    ) {
      ;(overrides as Record<string, unknown>)[method] = impl
    },
  }
}

export type FakeWorker = ReturnType<typeof createFakeWorker>

/** The app's state over the real storage items (fake browser) and the fake worker. */
export function createTestState(worker: FakeWorker) {
  const opened: string[] = []
  const followed: string[] = []
  const downloads: string[] = []
  let optionsOpened = 0
  const state = createAppState({
    api: worker.api,
    ...storeDeps(),
    background: {
      follow: (job) => void followed.push(job.jobId),
      download: async (jobId) => void downloads.push(jobId),
    },
    links: {
      openTab: (url) => void opened.push(url),
      openOptions: () => void optionsOpened++,
    },
    t,
    language: () => 'en',
    persistEveryMs: 5,
    pollMs: 60_000,
  })
  return { state, opened, followed, downloads, optionsOpened: () => optionsOpened }
}

/** Renders the whole app like the popup does; `unmount` is the popup closing. */
export function renderApp(worker: FakeWorker) {
  const harness = createTestState(worker)
  const view = render(<App state={harness.state} />)
  return {
    ...harness,
    view,
    close(): void {
      view.unmount()
      harness.state.dispose()
    },
  }
}

export type { AppState }
