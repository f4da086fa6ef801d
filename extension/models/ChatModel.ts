import {
  computed,
  createModel,
  effect,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import {
  ChatEvent,
  type Credits,
  type ExportPreset,
  type ProjectState,
  type SuggestedAction,
  type Timeline,
} from '../../shared/api/index.ts'
import type { WorkerClient } from '../utils/api/index.ts'
import {
  ChatHistory,
  type ChatEntry,
  type ChatHistoryStore,
  type ReplyEntry,
} from './chat-history.ts'
import { apiErrorOf, isAbort, newId } from './errors.ts'
import { foldEvent } from './fold-event.ts'
import type { Intent } from '../../shared/intent/router.ts'

/** What typed intents and reply chips do without going through the chat stream. */
export interface ChatIntents {
  /** Starts exports (the panel's selection when `presets` is empty); resolves with what started. */
  export(presets: ExportPreset[]): Promise<ExportPreset[]>
  credits(): Promise<Credits>
  state(): Promise<ProjectState>
  /** Opens the file picker. */
  upload(): void
  /** Brings the preview player into view and plays it ("preview in timeline"). */
  preview?(): void
}

export interface ChatDeps {
  api: Pick<WorkerClient, 'sendMessage' | 'streamRun'> & Partial<Pick<WorkerClient, 'getSession'>>
  history: ChatHistoryStore
  intents: ChatIntents
  /** May be async: the app loads the router (and its vocabulary) after the first paint. */
  routeIntent: (text: string) => Intent | Promise<Intent>
  /** A reply's `summary` event: the draft as it is now. */
  onSummary?: (summary: { summary: string; timeline: Timeline }) => void
  /** The user sent a chat message (names a new project after it). */
  onUserMessage?: (text: string) => void
  /** A turn ended (done or error): refresh credits and the timeline. */
  onTurnEnd?: (reply: ReplyEntry) => void
  newId?: () => string
  now?: () => number
  /** How often a streaming reply is written to storage at most. */
  persistEveryMs?: number
}

/** Why the composer is disabled, or false when a message can be sent. */
export type ChatBusy = false | 'loading' | 'sending' | 'replying'

export interface ChatModel {
  sessionId: ReadonlySignal<string>
  entries: ReadonlySignal<readonly ChatEntry[]>
  busy: ReadonlySignal<ChatBusy>
  /** Sends what the user typed: a direct intent or a chat turn. */
  send(text: string): Promise<void>
  /** A reply's one-click chip. */
  runAction(action: SuggestedAction): Promise<void>
  /** Sends again the message an error entry or a failed reply belongs to. */
  retry(entryId: string): Promise<void>
  /**
   * Stops following a running reply: what arrived stays, nothing is sent again, the composer is
   * free. The backend may still finish the turn; the next state read shows its result.
   */
  stopWaiting(replyId: string): Promise<void>
  /** Resolves once the stored history is shown (and any re-attach has started). */
  whenReady(): Promise<void>
}

/**
 * One project's chat. Every event is folded into the reply and persisted (throttled) together with
 * its seq, so a reopened popup shows the reply where it had got to and re-attaches right after it.
 */
export const ChatModel: ModelConstructor<ChatModel, [ChatDeps, string]> = createModel(
  (deps: ChatDeps, sessionIdValue: string) => {
    const makeId = deps.newId ?? newId
    const now = deps.now ?? Date.now
    const every = deps.persistEveryMs ?? 300
    const sessionId = signal(sessionIdValue, { name: 'chat.sessionId' })
    const entries = signal<readonly ChatEntry[]>([], { name: 'chat.entries' })
    const pending = signal<ChatHistory['pending']>(undefined, { name: 'chat.pending' })
    const loaded = signal(false, { name: 'chat.loaded' })
    const sending = signal(false, { name: 'chat.sending' })
    const busy = computed<ChatBusy>(() => {
      if (!loaded.value) return 'loading'
      if (sending.value || pending.value) return 'sending'
      return entries.value.some((e) => e.kind === 'reply' && e.status === 'streaming')
        ? 'replying'
        : false
    })

    let disposed = false
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let saving = Promise.resolve()
    /** What this page wrote lately, as storage gives it back: its own echoes are not adopted. */
    const written: string[] = []
    const remember = (history: ChatHistory) => {
      const echoed = ChatHistory.safeParse(history)
      written.push(JSON.stringify(echoed.success ? echoed.data : history))
      if (written.length > 50) written.shift()
    }
    /** Runs this page is following right now, each with its own way to stop. */
    const attached = new Map<string, AbortController>()

    const persistNow = (): Promise<void> => {
      clearTimeout(timer)
      timer = undefined
      const p = pending.peek()
      const history: ChatHistory = { messages: [...entries.peek()], ...(p && { pending: p }) }
      remember(history)
      saving = saving.then(() => deps.history.save(sessionIdValue, history)).catch(() => {})
      return saving
    }
    const persistSoon = () => {
      if (timer === undefined) timer = setTimeout(() => void persistNow(), every)
    }
    const append = (entry: ChatEntry) => {
      entries.value = [...entries.peek(), entry]
    }
    const newReply = (runId: string): ReplyEntry => ({
      kind: 'reply',
      id: runId,
      runId,
      lastSeq: 0,
      status: 'streaming',
      text: '',
      editing: false,
      stillWorking: false,
      startedAt: now(),
      notices: [],
      actions: [],
    })
    const replyOf = (id: string) =>
      entries.peek().find((e): e is ReplyEntry => e.kind === 'reply' && e.id === id)
    const replace = (next: ReplyEntry) => {
      entries.value = entries.peek().map((e) => (e.kind === 'reply' && e.id === next.id ? next : e))
    }

    effect(() => () => {
      // Disposal (popup closed, project switched): stop listening, keep what arrived.
      disposed = true
      controller.abort()
      if (timer !== undefined) void persistNow()
    })

    /** Follows a run's events; `opened` is its stream when the message's answer carried it. */
    async function attach(replyId: string, runId: string, opened?: Response): Promise<void> {
      if (attached.has(runId)) return letGo(opened)
      const own = new AbortController()
      attached.set(runId, own)
      try {
        await deps.api.streamRun(sessionIdValue, runId, {
          after: replyOf(replyId)?.lastSeq ?? 0,
          signal: AbortSignal.any([controller.signal, own.signal]),
          opened,
          onEvent: ({ seq, event }) => {
            const reply = replyOf(replyId)
            if (disposed || !reply || reply.status === 'stopped' || seq <= reply.lastSeq) return
            const parsed = ChatEvent.safeParse(event)
            const next = parsed.success
              ? foldEvent(reply, seq, parsed.data)
              : { ...reply, lastSeq: seq }
            replace(next)
            if (parsed.success && parsed.data.type === 'summary') deps.onSummary?.(parsed.data)
            if (next.status === 'streaming') return persistSoon()
            void persistNow()
            deps.onTurnEnd?.(next)
          },
        })
      } catch (err) {
        const reply = replyOf(replyId)
        if (disposed || isAbort(err) || !reply || reply.status !== 'streaming') return
        const failed: ReplyEntry = {
          ...reply,
          status: 'error',
          error: apiErrorOf(err),
          editing: false,
          stillWorking: false,
        }
        replace(failed)
        void persistNow()
        deps.onTurnEnd?.(failed)
      } finally {
        attached.delete(runId)
      }
    }

    /**
     * Another page of the extension wrote this chat (popup and side panel open together). While
     * this page is not writing itself, it takes that chat over, so neither overwrites the other.
     */
    function adopt(history: ChatHistory): void {
      if (disposed || !loaded.peek() || written.includes(JSON.stringify(history))) return
      if (sending.peek() || attached.size > 0 || timer !== undefined) return
      entries.value = history.messages
      pending.value = history.pending
      const open = history.messages.find(
        (e): e is ReplyEntry => e.kind === 'reply' && e.status === 'streaming',
      )
      if (open) void attach(open.id, open.runId)
    }
    if (deps.history.watch) effect(() => deps.history.watch?.(sessionIdValue, adopt))

    /** Posts the pending message (same clientMessageId on every try) and follows its run. */
    async function deliver(): Promise<void> {
      const p = pending.peek()
      if (!p) return
      sending.value = true
      try {
        const { runId, events } = await deps.api.sendMessage(sessionIdValue, {
          text: p.text,
          clientMessageId: p.clientMessageId,
        })
        if (disposed) return letGo(events)
        if (!replyOf(runId)) append(newReply(runId))
        pending.value = undefined
        // Accepted: the caller goes on while the reply streams in.
        void attach(runId, runId, events)
        sending.value = false
        await persistNow()
      } catch (err) {
        if (disposed || isAbort(err)) return
        append({
          kind: 'error',
          id: makeId(),
          error: apiErrorOf(err),
          retryText: p.text,
          clientMessageId: p.clientMessageId,
          at: now(),
        })
        pending.value = undefined
        await persistNow()
        if (apiErrorOf(err).code === 'run_in_progress') await followRunning()
      } finally {
        if (!disposed) sending.value = false
      }
    }

    /** A turn this page did not start is running (another device, cleared data): show it too. */
    async function followRunning(): Promise<void> {
      const run = deps.api.getSession
        ? (await deps.api.getSession(sessionIdValue).catch(() => undefined))?.latestRun
        : undefined
      if (disposed || run?.status !== 'running' || replyOf(run.runId)) return
      append(newReply(run.runId))
      void attach(run.runId, run.runId)
      await persistNow()
    }

    async function chat(text: string, clientMessageId = makeId()): Promise<void> {
      sending.value = true
      pending.value = { clientMessageId, text }
      await persistNow()
      await deliver()
    }

    async function runIntent(
      intent: Exclude<Intent, { kind: 'chat' }>,
      retryText?: string,
    ): Promise<void> {
      try {
        if (intent.kind === 'export') {
          const presets = await deps.intents.export(intent.preset ? [intent.preset] : [])
          append({ kind: 'exporting', id: makeId(), presets, at: now() })
        } else if (intent.kind === 'credits') {
          append({
            kind: 'credits',
            id: makeId(),
            credits: await deps.intents.credits(),
            at: now(),
          })
        } else if (intent.kind === 'state') {
          append({
            kind: 'state',
            id: makeId(),
            summary: (await deps.intents.state()).summary,
            at: now(),
          })
        } else {
          deps.intents.upload()
        }
      } catch (err) {
        append({
          kind: 'error',
          id: makeId(),
          error: apiErrorOf(err),
          ...(retryText && { retryText }),
          at: now(),
        })
      }
      await persistNow()
    }

    async function load(): Promise<void> {
      const history = await deps.history.load(sessionIdValue).catch(() => undefined)
      if (disposed) return
      entries.value = history?.messages ?? []
      pending.value = history?.pending
      loaded.value = true
      const open = entries
        .peek()
        .find((e): e is ReplyEntry => e.kind === 'reply' && e.status === 'streaming')
      // Not awaited: the reply keeps streaming while the user reads.
      if (pending.peek()) void deliver()
      else if (open) void attach(open.id, open.runId)
      else void followRunning()
    }
    const ready = load()
    let routing = false

    return {
      sessionId,
      entries,
      busy,
      whenReady: () => ready,
      async send(raw: string) {
        const text = raw.trim()
        if (!text || busy.peek() || routing) return
        append({ kind: 'user', id: makeId(), text, at: now() })
        // No second send while the router answers (it may still be loading).
        routing = true
        const intent = await Promise.resolve(deps.routeIntent(text)).finally(
          () => (routing = false),
        )
        deps.onUserMessage?.(text)
        if (intent.kind === 'chat') return chat(text)
        return runIntent(intent, text)
      },
      async runAction(action: SuggestedAction) {
        if (action === 'preview') return deps.intents.preview?.()
        if (action === 'export') return runIntent({ kind: 'export' })
        return runIntent({ kind: action })
      },
      async stopWaiting(replyId: string) {
        const reply = replyOf(replyId)
        if (!reply || reply.status !== 'streaming') return
        attached.get(reply.runId)?.abort()
        const stopped: ReplyEntry = {
          ...reply,
          status: 'stopped',
          editing: false,
          stillWorking: false,
        }
        replace(stopped)
        await persistNow()
        deps.onTurnEnd?.(stopped)
      },
      async retry(entryId: string) {
        if (busy.peek()) return
        const list = entries.peek()
        const at = list.findIndex((e) => e.id === entryId)
        const entry = list[at]
        if (!entry) return
        const text =
          entry.kind === 'error'
            ? entry.retryText
            : list.slice(0, at).findLast((e) => e.kind === 'user')?.text
        if (!text) return
        const intent = await deps.routeIntent(text)
        if (intent.kind !== 'chat') return runIntent(intent, text)
        return chat(text, entry.kind === 'error' ? entry.clientMessageId : undefined)
      },
    }
  },
)

/** A reply's stream nobody will read (the page went away, or the run is followed already). */
function letGo(stream: Response | undefined): void {
  void stream?.body?.cancel().catch(() => {})
}
