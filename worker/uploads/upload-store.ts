import { z } from 'zod'
import { LargeUploadState, UploadResult } from '../../shared/api/uploads.ts'

/** One large upload as its Durable Object stores it. Times are epoch milliseconds. */
export const UploadRecord = z.object({
  uploadId: z.string(),
  installationId: z.string(),
  sessionId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  partSize: z.number().int(),
  partCount: z.number().int(),
  /** The R2 object the parts become, and R2's id of the multipart upload. */
  r2Key: z.string(),
  r2UploadId: z.string(),
  state: LargeUploadState,
  /** R2's `complete` succeeded: the parts are one object now. */
  assembled: z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
  createdAt: z.number(),
  expiresAt: z.number(),
  result: z
    .string()
    .nullable()
    .transform((raw) => (raw === null ? null : UploadResult.parse(JSON.parse(raw)))),
})
export type UploadRecord = z.output<typeof UploadRecord>
export type NewUpload = Omit<UploadRecord, 'state' | 'assembled' | 'result'>

/** A part R2 has confirmed, with the etag its `complete` needs. */
export interface StoredPart {
  partNumber: number
  etag: string
  size: number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS upload (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  uploadId TEXT NOT NULL, installationId TEXT NOT NULL, sessionId TEXT NOT NULL,
  filename TEXT NOT NULL, contentType TEXT NOT NULL,
  size INTEGER NOT NULL, partSize INTEGER NOT NULL, partCount INTEGER NOT NULL,
  r2Key TEXT NOT NULL, r2UploadId TEXT NOT NULL,
  state TEXT NOT NULL, assembled INTEGER NOT NULL,
  createdAt INTEGER NOT NULL, expiresAt INTEGER NOT NULL, result TEXT
);
CREATE TABLE IF NOT EXISTS part (
  partNumber INTEGER PRIMARY KEY, etag TEXT NOT NULL, size INTEGER NOT NULL
)`

/**
 * The upload's row and its parts in the object's SQLite storage (strongly consistent, unlike KV,
 * and private to the one object that serializes every change to the upload). Synchronous calls, so
 * a read and the write that depends on it never interleave with another request.
 */
export class UploadStore {
  readonly #sql: SqlStorage

  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  /** Tables are created on the first insert: probing an unknown upload id leaves nothing behind. */
  #exists(): boolean {
    return (
      this.#sql
        .exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'upload'`)
        .toArray().length > 0
    )
  }

  read(): UploadRecord | null {
    if (!this.#exists()) return null
    const row = this.#sql.exec('SELECT * FROM upload WHERE one = 1').toArray()[0]
    return row ? UploadRecord.parse(row) : null
  }

  insert(record: NewUpload): void {
    this.#sql.exec(SCHEMA)
    const values = { ...record, state: 'open', assembled: 0, result: null }
    const names = Object.keys(values)
    this.#sql.exec(
      `INSERT INTO upload (one, ${names.join(', ')}) VALUES (1, ${names.map(() => '?').join(', ')})`,
      ...Object.values(values),
    )
  }

  parts(): StoredPart[] {
    if (!this.#exists()) return []
    return this.#sql
      .exec<{ partNumber: number; etag: string; size: number }>(
        'SELECT * FROM part ORDER BY partNumber',
      )
      .toArray()
  }

  /** A part sent again replaces the earlier one (R2 keeps the last upload of a part number). */
  putPart(part: StoredPart): void {
    this.#sql.exec(
      'INSERT OR REPLACE INTO part (partNumber, etag, size) VALUES (?, ?, ?)',
      part.partNumber,
      part.etag,
      part.size,
    )
  }

  setState(
    state: UploadRecord['state'],
    fields: { assembled?: boolean; result?: UploadResult } = {},
  ): void {
    this.#sql.exec(
      'UPDATE upload SET state = ?, assembled = COALESCE(?, assembled), result = COALESCE(?, result) WHERE one = 1',
      state,
      fields.assembled === undefined ? null : fields.assembled ? 1 : 0,
      fields.result === undefined ? null : JSON.stringify(fields.result),
    )
  }
}
