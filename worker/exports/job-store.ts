import { JobRecord, type ErrorParams } from './job-record.ts'

/** Fields an update may set (the job's identity and owner never change). */
export type JobPatch = Partial<Omit<JobRecord, 'errorParams' | 'jobId' | 'installationId'>> & {
  errorParams?: ErrorParams | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  jobId TEXT NOT NULL,
  installationId TEXT NOT NULL,
  sessionId TEXT NOT NULL,
  upstreamSessionId TEXT NOT NULL,
  preset TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  status TEXT NOT NULL,
  progress REAL,
  attempt INTEGER NOT NULL,
  renderId TEXT NOT NULL,
  submitState TEXT NOT NULL,
  consecutiveErrors INTEGER NOT NULL,
  createdAt INTEGER NOT NULL,
  updatedAt INTEGER NOT NULL,
  completedAt INTEGER,
  outputUrl TEXT,
  fileName TEXT,
  errorCode TEXT,
  errorParams TEXT,
  draft TEXT NOT NULL
)`

const COLUMNS = new Set(Object.keys(JobRecord.shape))

/**
 * The job's one row in the object's SQLite storage. Every call is synchronous, so a read and the
 * write that depends on it cannot interleave with another request to the object.
 */
export class JobStore {
  readonly #sql: SqlStorage

  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  /**
   * Whether the table exists. Created on the first insert only: a read of an unknown job id (a
   * typo, a probe, a job deleted after its retention) must not leave storage behind.
   */
  #exists(): boolean {
    return (
      this.#sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'job'`).toArray()
        .length > 0
    )
  }

  read(): JobRecord | null {
    if (!this.#exists()) return null
    const row = this.#sql.exec('SELECT * FROM job WHERE one = 1').toArray()[0]
    return row ? JobRecord.parse(row) : null
  }

  /** The draft as submitted (preset size applied), for a resubmission. */
  draft(): unknown {
    if (!this.#exists()) return null
    const row = this.#sql
      .exec<{ draft: string }>('SELECT draft FROM job WHERE one = 1')
      .toArray()[0]
    return row ? JSON.parse(row.draft) : null
  }

  insert(record: JobRecord, draft: unknown): void {
    this.#sql.exec(SCHEMA)
    const values = { ...record, errorParams: null, draft: JSON.stringify(draft) }
    const names = Object.keys(values)
    this.#sql.exec(
      `INSERT INTO job (one, ${names.join(', ')}) VALUES (1, ${names.map(() => '?').join(', ')})`,
      ...Object.values(values),
    )
  }

  /** Sets the given fields (and `updatedAt`) and returns the row as stored. */
  update(patch: JobPatch, now = Date.now()): JobRecord {
    const values: Record<string, SqlStorageValue> = { updatedAt: now }
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue
      if (!COLUMNS.has(key)) throw new Error(`not a job column: ${key}`)
      values[key] =
        key === 'errorParams' && value !== null ? JSON.stringify(value) : (value as SqlStorageValue)
    }
    const names = Object.keys(values)
    this.#sql.exec(
      `UPDATE job SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE one = 1`,
      ...Object.values(values),
    )
    const record = this.read()
    if (!record) throw new Error('job row vanished during an update')
    return record
  }
}
