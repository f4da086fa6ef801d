import { DurableObject } from 'cloudflare:workers'
import type { ChatEvent } from '../../shared/api/chat-events.ts'
import type { SendMessageRequest, SessionInfo } from '../../shared/api/sessions.ts'
import { normalizeDraft, summarizeTimeline } from '../draft/index.ts'
import { toApiError } from '../../shared/errors/table.ts'
import { guiWording } from '../chat/gui-wording.ts'
import { describeChatError } from '../chat/describe-error.ts'
import { runChatTurn } from '../chat/run-engine.ts'
import { runEventStream, type RunListener, type StoredEvent } from '../chat/sse.ts'
import { chatTimings } from '../chat/timings.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import type { InstallationRecord } from '../installations/record.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import { newRunId } from './ids.ts'
import { fail, ok, resultOf, type Result } from '../result.ts'
import { withUpstreamSession } from './upstream-session.ts'
import * as store from './session-store.ts'
import { SWEEP_EVERY_MS, sweep } from './sweep.ts'

/** What the worker needs to call the backend for a session it owns. */
export interface SessionAccess {
  upstreamSessionId: string
  taskId?: string
  userId?: string
}

/**
 * One worker chat session: its owner, its backend session and every chat run with its numbered
 * events, in SQLite. The session owns each run's upstream stream, so a client that goes away
 * loses nothing: it re-attaches with `Last-Event-ID`, and the prompt is never sent twice.
 * Lifetimes and the engine's decisions: ./README.md.
 */
export class ProjectSession extends DurableObject<Env> {
  readonly #sql: SqlStorage
  /** Set after an unknown id's empty tables were dropped (see `ownedBy`). */
  #dropped = false
  /** The one renewal of the backend session in flight; concurrent callers share it. */
  #renewal: Promise<Result<string>> | undefined
  readonly #listeners = new Map<string, Set<RunListener>>()
  /** Known to have its sweep alarm set (the alarm always sets the next one): not asked again. */
  #sweepArmed = false
  /** The turns this instance is running; kept so the runtime sees their pending I/O. */
  readonly #turns = new Map<string, Promise<void>>()

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.#sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      store.migrate(this.#sql)
      this.#failOrphanedRuns()
    })
  }

  /** Stores a new session. Called once, right after the id was made up. */
  async initialize(input: store.NewSession): Promise<Result<SessionInfo>> {
    if (this.#dropped) {
      store.migrate(this.#sql)
      this.#dropped = false
    }
    const existing = store.readSession(this.#sql)
    if (existing !== undefined && existing.installation_id !== input.installationId) {
      return fail(new WorkerError('not_found'), 'initialize')
    }
    if (existing === undefined) store.insertSession(this.#sql, input, Date.now())
    await this.#ensureSweepAlarm()
    return ok(this.#info(store.readSession(this.#sql)!))
  }

  /** The backend ids, or null when the session does not exist or belongs to someone else. */
  async access(installationId: string): Promise<SessionAccess | null> {
    const session = await this.#ownedBy(installationId)
    if (session === undefined) return null
    store.touchSession(this.#sql, Date.now())
    return {
      upstreamSessionId: session.upstream_session_id,
      ...(session.task_id === null ? {} : { taskId: session.task_id }),
      ...(session.user_id === null ? {} : { userId: session.user_id }),
    }
  }

  /** `SessionInfo` with the newest run, or null like `access`. */
  async describe(installationId: string): Promise<SessionInfo | null> {
    const session = await this.#ownedBy(installationId)
    return session === undefined ? null : this.#info(session)
  }

  /**
   * Replaces a backend session the backend lost (1002). Returns the current id at once when
   * someone already replaced `staleId`; concurrent callers share one renewal.
   */
  async renewUpstreamSession(staleId: string): Promise<Result<string>> {
    const session = this.#dropped ? undefined : store.readSession(this.#sql)
    if (session === undefined) return fail(new WorkerError('not_found'), 'renew')
    if (session.upstream_session_id !== staleId) return ok(session.upstream_session_id)
    this.#renewal ??= this.#renew(session).finally(() => {
      this.#renewal = undefined
    })
    return this.#renewal
  }

  /**
   * Starts a chat turn and answers its run id at once; the turn runs on inside this object.
   * The same `clientMessageId` again answers the same run and sends nothing. While a turn runs,
   * any other message is refused (`run_in_progress`): the backend must never get a second one.
   */
  async sendMessage(
    installationId: string,
    message: SendMessageRequest,
    {
      stream = false,
      installation,
    }: {
      stream?: boolean
      /** The record the caller's key check read: the turn's token without another keeper call. */
      installation?: InstallationRecord
    } = {},
  ): Promise<Result<{ runId: string; events?: ReadableStream<Uint8Array> }>> {
    const session = await this.#ownedBy(installationId)
    if (session === undefined) return fail(new WorkerError('not_found'), 'send')
    // Asked with `stream`, the answer carries the run's events from its first one: the reply
    // starts in the same request, one round trip sooner than a second request for them.
    const accepted = (runId: string) =>
      ok(stream ? { runId, events: this.#eventStream(runId, 0) } : { runId })
    const known = store.findRunByClientMessage(this.#sql, message.clientMessageId)
    if (known !== undefined) return accepted(known.run_id)
    if (store.runningRuns(this.#sql).length > 0)
      return fail(new WorkerError('run_in_progress'), 'send')

    const runId = newRunId()
    const now = Date.now()
    store.insertRun(this.#sql, runId, message.clientMessageId, now)
    store.touchSession(this.#sql, now)
    if (session.pending_notice !== null) {
      this.#append(runId, { type: 'notice', code: session.pending_notice })
      store.setPendingNotice(this.#sql, null)
    }
    this.#startTurn(
      runId,
      message.text,
      session,
      installation?.installationId === installationId ? installation : undefined,
    )
    await this.#ensureSweepAlarm()
    return accepted(runId)
  }

  /**
   * A run's events as SSE bytes, after sequence number `after`: the stored ones, then the live
   * tail. `not_found` for another installation's session or an unknown run.
   */
  async runEvents(
    installationId: string,
    runId: string,
    after: number,
  ): Promise<Result<ReadableStream<Uint8Array>>> {
    const owned = (await this.#ownedBy(installationId)) !== undefined
    const run = owned ? store.findRun(this.#sql, runId) : undefined
    if (run === undefined) return fail(new WorkerError('not_found'), 'run events')
    return ok(this.#eventStream(run.run_id, after))
  }

  /** A known run's events after `after` as SSE bytes: the stored ones, then the live tail. */
  #eventStream(runId: string, after: number): ReadableStream<Uint8Array> {
    return runEventStream((listener) => {
      const backlog = store.eventsAfter(this.#sql, runId, after)
      const live = store.findRun(this.#sql, runId)?.status === 'running'
      if (live) this.#listen(runId, listener)
      return { backlog, live, detach: () => this.#unlisten(runId, listener) }
    })
  }

  /** Deletes old runs and events, and the whole session after 30 days without use. */
  override async alarm(): Promise<void> {
    let rearm = false
    try {
      if (this.#dropped || store.readSession(this.#sql) === undefined) return
      rearm = true
      if (sweep(this.#sql, Date.now()) === 'expired') {
        await this.ctx.storage.deleteAlarm()
        await this.ctx.storage.deleteAll()
        this.#dropped = true
        this.#sweepArmed = false
        rearm = false
      }
    } catch (err) {
      console.error(
        'session sweep failed',
        err instanceof Error ? `${err.name}: ${err.message}` : typeof err,
      )
    } finally {
      // Delivery is at least once and failures are caught above: the next sweep is always set here.
      if (rearm) await this.ctx.storage.setAlarm(Date.now() + SWEEP_EVERY_MS)
    }
  }

  #startTurn(
    runId: string,
    text: string,
    session: store.SessionRow,
    installation?: InstallationRecord,
  ): void {
    const env = this.env
    const installationId = session.installation_id
    const upstream = createUpstream(env, installationId, installation)
    const lang = /^zh\b/i.test(session.language) ? 'zh' : 'en'
    const turn = runChatTurn({
      openStream: (signal) =>
        this.#withUpstreamSession((sid) => upstream.runSse(sid, text, signal)),
      readDraft: async () => (await this.#withUpstreamSession((sid) => upstream.state(sid))).draft,
      // The turn starts now: the session row it was given names the current backend session.
      peekDraft: async () => (await upstream.state(session.upstream_session_id)).draft,
      emit: (event) => this.#append(runId, event),
      describeError: (err) =>
        describeChatError(env, installationId, session.user_id ?? undefined, err),
      wording: guiWording,
      summarize: (draft) => {
        const timeline = normalizeDraft(draft)
        return { timeline, summary: summarizeTimeline(timeline, lang) }
      },
      timings: chatTimings(env),
    })
      .catch((err: unknown) => {
        console.error('chat turn crashed', err instanceof Error ? err.name : typeof err)
      })
      .finally(() => {
        // A turn always ends with a terminal event, even one that crashed.
        if (store.findRun(this.#sql, runId)?.status === 'running') {
          this.#append(runId, { type: 'error', error: toApiError('internal') })
        }
        this.#turns.delete(runId)
      })
    this.#turns.set(runId, turn)
  }

  /** Runs `fn` with the backend session id; renews it once if the backend lost it (1002). */
  async #withUpstreamSession<T>(fn: (upstreamSessionId: string) => Promise<T>): Promise<T> {
    const current = store.readSession(this.#sql)
    if (current === undefined) throw new WorkerError('not_found')
    return withUpstreamSession(
      current.upstream_session_id,
      (stale) => this.renewUpstreamSession(stale),
      fn,
    )
  }

  async #renew(session: store.SessionRow): Promise<Result<string>> {
    return resultOf('renew upstream session', async () => {
      const next = await createUpstream(this.env, session.installation_id).createSession(
        session.language,
      )
      store.replaceUpstreamSession(this.#sql, next)
      this.#recordNotice('session_renewed')
      return next.upstreamSessionId
    })
  }

  /** Tells the user through the running turn's stream, or the next turn's when none runs. */
  #recordNotice(code: 'session_renewed' | 'token_renewed'): void {
    const running = store.runningRuns(this.#sql)[0]
    if (running !== undefined) this.#append(running.run_id, { type: 'notice', code })
    else store.setPendingNotice(this.#sql, code)
  }

  /** Stores an event, ends the run on a terminal one, and hands it to the run's listeners. */
  #append(runId: string, event: ChatEvent): StoredEvent {
    const now = Date.now()
    const item = store.appendEvent(this.#sql, runId, event, now)
    if (event.type === 'done' || event.type === 'error') {
      store.finishRun(this.#sql, runId, event.type === 'done' ? 'done' : 'failed', now)
    }
    for (const listener of [...(this.#listeners.get(runId) ?? [])]) listener(item)
    return item
  }

  #listen(runId: string, listener: RunListener): void {
    const set = this.#listeners.get(runId) ?? new Set()
    set.add(listener)
    this.#listeners.set(runId, set)
  }

  /** How many readers follow the run live (a closed reader must not stay attached). */
  liveReaders(runId: string): number {
    return this.#listeners.get(runId)?.size ?? 0
  }

  #unlisten(runId: string, listener: RunListener): void {
    const set = this.#listeners.get(runId)
    set?.delete(listener)
    if (set?.size === 0) this.#listeners.delete(runId)
  }

  /**
   * Runs left `running` by an earlier instance (a deploy or an eviction reset the object) have
   * lost their upstream stream with it: they end as dropped so nobody waits on them forever.
   */
  #failOrphanedRuns(): void {
    if (store.readSession(this.#sql) === undefined) return
    for (const run of store.runningRuns(this.#sql)) {
      this.#append(run.run_id, { type: 'error', error: toApiError('stream_dropped') })
    }
  }

  async #ownedBy(installationId: string): Promise<store.SessionRow | undefined> {
    if (this.#dropped) return undefined
    const session = store.readSession(this.#sql)
    if (session === undefined) {
      // An id that was never created (or was swept): drop the empty tables the constructor made,
      // so asking for made-up ids costs no storage.
      this.#dropped = true
      this.#sweepArmed = false
      await this.ctx.storage.deleteAll()
      return undefined
    }
    return session.installation_id === installationId ? session : undefined
  }

  async #ensureSweepAlarm(): Promise<void> {
    if (this.#sweepArmed) return
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + SWEEP_EVERY_MS)
    }
    this.#sweepArmed = true
  }

  #info(session: store.SessionRow): SessionInfo {
    const run = store.latestRun(this.#sql)
    return {
      sessionId: session.session_id,
      language: session.language,
      createdAt: new Date(session.created_at).toISOString(),
      ...(run === undefined
        ? {}
        : {
            latestRun: {
              runId: run.run_id,
              status: run.status,
              lastEventId: store.lastEventSeq(this.#sql, run.run_id),
              startedAt: new Date(run.started_at).toISOString(),
            },
          }),
    }
  }
}
