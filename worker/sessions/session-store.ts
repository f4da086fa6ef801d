import { z } from 'zod'
import type { ChatEvent } from '../../shared/api/chat-events.ts'
import { storedEvent, type StoredEvent } from '../chat/sse.ts'
import { RunStatus } from '../../shared/api/sessions.ts'

/**
 * The ProjectSession's SQLite tables and the only code that reads or writes them. Every call is
 * synchronous (the DO's SQL API is), so a method's reads and writes never interleave with another
 * request's.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    session_id TEXT NOT NULL,
    installation_id TEXT NOT NULL,
    language TEXT NOT NULL,
    upstream_session_id TEXT NOT NULL,
    task_id TEXT,
    user_id TEXT,
    created_at INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL,
    pending_notice TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    client_message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  )`,
  // AUTOINCREMENT: a sweep may delete the newest events, and a seq must never be handed out twice.
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS events_by_run ON events (run_id, seq)',
  'CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at)',
]

const SessionRow = z.object({
  session_id: z.string(),
  installation_id: z.string(),
  language: z.string(),
  upstream_session_id: z.string(),
  task_id: z.string().nullable(),
  user_id: z.string().nullable(),
  created_at: z.number(),
  last_active_at: z.number(),
  pending_notice: z.enum(['session_renewed', 'token_renewed']).nullable(),
})
export type SessionRow = z.infer<typeof SessionRow>

const RunRow = z.object({
  run_id: z.string(),
  client_message_id: z.string(),
  status: RunStatus,
  started_at: z.number(),
  finished_at: z.number().nullable(),
})
export type RunRow = z.infer<typeof RunRow>

export type NewSession = {
  sessionId: string
  installationId: string
  language: string
  upstreamSessionId: string
  taskId?: string | undefined
  userId?: string | undefined
}

/** Creates the tables if they are missing; cheap and idempotent, run before anything else. */
export function migrate(sql: SqlStorage): void {
  for (const statement of SCHEMA) sql.exec(statement)
}

export function readSession(sql: SqlStorage): SessionRow | undefined {
  const row = sql.exec('SELECT * FROM session WHERE id = 1').toArray()[0]
  return row === undefined ? undefined : SessionRow.parse(row)
}

export function insertSession(sql: SqlStorage, s: NewSession, now: number): void {
  sql.exec(
    `INSERT INTO session (id, session_id, installation_id, language, upstream_session_id, task_id, user_id,
       created_at, last_active_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    s.sessionId,
    s.installationId,
    s.language,
    s.upstreamSessionId,
    s.taskId ?? null,
    s.userId ?? null,
    now,
    now,
  )
}

export function replaceUpstreamSession(
  sql: SqlStorage,
  next: { upstreamSessionId: string; taskId?: string | undefined; userId?: string | undefined },
): void {
  sql.exec(
    `UPDATE session SET upstream_session_id = ?, task_id = ?, user_id = COALESCE(?, user_id) WHERE id = 1`,
    next.upstreamSessionId,
    next.taskId ?? null,
    next.userId ?? null,
  )
}

export function setPendingNotice(sql: SqlStorage, notice: SessionRow['pending_notice']): void {
  sql.exec('UPDATE session SET pending_notice = ? WHERE id = 1', notice)
}

export function touchSession(sql: SqlStorage, now: number): void {
  sql.exec('UPDATE session SET last_active_at = ? WHERE id = 1', now)
}

export function findRunByClientMessage(
  sql: SqlStorage,
  clientMessageId: string,
): RunRow | undefined {
  const row = sql
    .exec('SELECT * FROM runs WHERE client_message_id = ?', clientMessageId)
    .toArray()[0]
  return row === undefined ? undefined : RunRow.parse(row)
}

export function findRun(sql: SqlStorage, runId: string): RunRow | undefined {
  const row = sql.exec('SELECT * FROM runs WHERE run_id = ?', runId).toArray()[0]
  return row === undefined ? undefined : RunRow.parse(row)
}

export function latestRun(sql: SqlStorage): RunRow | undefined {
  const row = sql
    .exec('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1')
    .toArray()[0]
  return row === undefined ? undefined : RunRow.parse(row)
}

export function runningRuns(sql: SqlStorage): RunRow[] {
  return sql
    .exec(`SELECT * FROM runs WHERE status = 'running'`)
    .toArray()
    .map((row) => RunRow.parse(row))
}

export function insertRun(
  sql: SqlStorage,
  runId: string,
  clientMessageId: string,
  now: number,
): void {
  sql.exec(
    `INSERT INTO runs (run_id, client_message_id, status, started_at) VALUES (?, ?, 'running', ?)`,
    runId,
    clientMessageId,
    now,
  )
}

export function finishRun(
  sql: SqlStorage,
  runId: string,
  status: 'done' | 'failed',
  now: number,
): void {
  sql.exec(
    `UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ? AND status = 'running'`,
    status,
    now,
    runId,
  )
}

/**
 * Stores one event and returns it with its new sequence number. Events come typed from this
 * worker's own code, so they are serialised once here and not validated again: this runs for
 * every event of every reply.
 */
export function appendEvent(
  sql: SqlStorage,
  runId: string,
  event: ChatEvent,
  now: number,
): StoredEvent {
  const { data } = storedEvent(0, event)
  const { seq } = sql
    .exec<{ seq: number }>(
      'INSERT INTO events (run_id, type, data, created_at) VALUES (?, ?, ?, ?) RETURNING seq',
      runId,
      event.type,
      data,
      now,
    )
    .one()
  return { seq, type: event.type, data }
}

/** The run's stored events after `afterSeq`, oldest first, as `appendEvent` wrote them. */
export function eventsAfter(sql: SqlStorage, runId: string, afterSeq: number): StoredEvent[] {
  return sql
    .exec<{ seq: number; type: StoredEvent['type']; data: string }>(
      'SELECT seq, type, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq',
      runId,
      afterSeq,
    )
    .toArray()
    .map(({ seq, type, data }) => ({ seq, type, data }))
}

export function lastEventSeq(sql: SqlStorage, runId: string): number {
  const row = sql
    .exec<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events WHERE run_id = ?', runId)
    .one()
  return row.seq ?? 0
}
