/**
 * Image bytes of tray items that were read locally (blob:, data:, cookie-protected images), kept
 * in IndexedDB: `storage.local` holds JSON only, and these can be megabytes each.
 */
const DB_NAME = 'pagereel'
const STORE = 'tray-blobs'

let opening: Promise<IDBDatabase> | undefined

function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  }).catch((err: unknown) => {
    opening = undefined
    throw err
  })
  return opening
}

async function run<T>(
  mode: IDBTransactionMode,
  op: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb()
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode)
    const req = op(tx.objectStore(STORE))
    tx.oncomplete = () => resolve(req.result)
    tx.onerror = () => reject(tx.error ?? req.error)
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

/** Stored as bytes plus type: every engine clones an ArrayBuffer, not every one a Blob. */
interface StoredBytes {
  type: string
  bytes: ArrayBuffer
}

export async function putBlob(key: string, blob: Blob): Promise<void> {
  const record: StoredBytes = { type: blob.type, bytes: await blob.arrayBuffer() }
  await run('readwrite', (s) => s.put(record, key))
}

export async function getBlob(key: string): Promise<Blob | undefined> {
  const value = (await run('readonly', (s) => s.get(key))) as StoredBytes | undefined
  return value?.bytes instanceof ArrayBuffer
    ? new Blob([value.bytes], { type: value.type })
    : undefined
}

export async function deleteBlob(key: string): Promise<void> {
  await run('readwrite', (s) => s.delete(key))
}

export async function clearBlobs(): Promise<void> {
  await run('readwrite', (s) => s.clear())
}

/** Closes the connection (tests reset IndexedDB between cases). */
export async function closeBlobStore(): Promise<void> {
  const db = await opening?.catch(() => undefined)
  db?.close()
  opening = undefined
}
