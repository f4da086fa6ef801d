import { z } from 'zod'

/**
 * The R2 copy of a finished job's file: `failed` (retried while attempts are left), `copied` (kept
 * until `expiresAt`), `given_up` (attempts used up, or the backend sent no length; the file is
 * served from the backend), `deleted` (past its time).
 */
export const CopyRecord = z.object({
  state: z.enum(['failed', 'copied', 'given_up', 'deleted']),
  attempts: z.number().int().min(0),
  size: z.number().int().nullable(),
  copiedAt: z.number().nullable(),
  expiresAt: z.number().nullable(),
})
export type CopyRecord = z.infer<typeof CopyRecord>

const SCHEMA = `
CREATE TABLE IF NOT EXISTS output_copy (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  size INTEGER,
  copiedAt INTEGER,
  expiresAt INTEGER
)`

/**
 * The copy's one row, beside the job's (a table of its own, so jobs stored before copies existed
 * need no migration). Created on the first write; no row means no attempt yet.
 */
export class CopyStore {
  readonly #sql: SqlStorage

  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  read(): CopyRecord | null {
    const exists =
      this.#sql
        .exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'output_copy'`)
        .toArray().length > 0
    if (!exists) return null
    const row = this.#sql
      .exec('SELECT state, attempts, size, copiedAt, expiresAt FROM output_copy WHERE one = 1')
      .toArray()[0]
    return row ? CopyRecord.parse(row) : null
  }

  write(record: CopyRecord): CopyRecord {
    this.#sql.exec(SCHEMA)
    this.#sql.exec(
      'INSERT OR REPLACE INTO output_copy (one, state, attempts, size, copiedAt, expiresAt) VALUES (1, ?, ?, ?, ?, ?)',
      record.state,
      record.attempts,
      record.size,
      record.copiedAt,
      record.expiresAt,
    )
    return record
  }
}
