import { z } from 'zod'

const DAY_MS = 24 * 60 * 60 * 1000

/** How often a session sweeps itself. */
export const SWEEP_EVERY_MS = DAY_MS
/** Events (and finished runs) older than this are deleted: a reopened popup needs minutes, not weeks. */
export const EVENT_RETENTION_MS = 7 * DAY_MS
/** At most this many finished runs are kept, newest first, whatever their age. */
export const KEEP_RUNS = 50
/** A session nobody used for this long is deleted whole. */
export const SESSION_IDLE_MS = 30 * DAY_MS

const Row = z.object({ last_active_at: z.number(), running: z.number() })

/**
 * Deletes what the session no longer needs. Idempotent (alarms arrive at least once) and never
 * touches a running run. Answers `expired` when the whole session should go: the caller deletes it.
 */
export function sweep(sql: SqlStorage, now: number): 'kept' | 'expired' {
  const { last_active_at, running } = Row.parse(
    sql
      .exec(
        `SELECT s.last_active_at AS last_active_at,
           (SELECT COUNT(*) FROM runs WHERE status = 'running') AS running
         FROM session s WHERE s.id = 1`,
      )
      .one(),
  )
  if (running === 0 && now - last_active_at >= SESSION_IDLE_MS) return 'expired'

  const cutoff = now - EVENT_RETENTION_MS
  // Old finished runs, and every finished run past the newest KEEP_RUNS.
  sql.exec(
    `DELETE FROM runs WHERE status != 'running' AND (
       COALESCE(finished_at, started_at) < ?
       OR run_id NOT IN (SELECT run_id FROM runs WHERE status != 'running'
                         ORDER BY started_at DESC, rowid DESC LIMIT ?))`,
    cutoff,
    KEEP_RUNS,
  )
  sql.exec('DELETE FROM events WHERE run_id NOT IN (SELECT run_id FROM runs)')
  sql.exec(
    `DELETE FROM events WHERE created_at < ? AND run_id IN (SELECT run_id FROM runs WHERE status != 'running')`,
    cutoff,
  )
  return 'kept'
}
