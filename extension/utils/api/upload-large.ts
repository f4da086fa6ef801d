import {
  LargeUploadCreated,
  LargeUploadStatus,
  UploadResult,
  partLengthOf,
  paths,
} from '../../../shared/api/index.ts'
import { BACKEND_MAX_FILE_BYTES } from '../../../shared/media.ts'
import { ApiRequestError, clientError, errorFromBody, isUnreachable } from './errors.ts'
import { requestJson, resolveBaseUrl, type WorkerClientOptions } from './http.ts'
import { prepareUploadFiles, type UploadFile } from './upload-check.ts'
import { abortableSleep, sendWithProgress } from './xhr-send.ts'

export interface LargeUploadOptions {
  /** Bytes the worker has confirmed plus the part on its way, of the file's size. */
  onProgress?: (loaded: number, total: number) => void
  /** The upload's id, as soon as the worker made it: keep it to resume after a restart. */
  onCreated?: (uploadId: string) => void
  /** An upload of the same file started earlier: only its missing parts are sent. */
  resumeUploadId?: string
  /** Preferred part size in bytes (the worker clamps it); smaller parts lose less to a failure. */
  partSize?: number
  /** Tries per part before giving up; the upload stays resumable with its id. Default 3. */
  partAttempts?: number
  /** Wait before trying a part again (attempt 1, 2…). Default 1 s, 2 s, 4 s… */
  retryDelayMs?: (attempt: number) => number
  signal?: AbortSignal
  /** XMLHttpRequest factory (fetch has no upload progress); injectable for tests. */
  createXhr?: () => XMLHttpRequest
}

/**
 * Uploads one file too large for a single request (up to the backend's 500 MB) in parts through
 * the worker's R2 multipart upload: creates it (or resumes `resumeUploadId`), sends each missing
 * part as a slice of the file with progress, sends a part that failed again, then completes it.
 * Answers what the backend made of the file, like `uploadFiles`.
 */
export async function uploadLargeFile(
  opts: WorkerClientOptions,
  sessionId: string,
  file: UploadFile,
  options: LargeUploadOptions = {},
): Promise<UploadResult> {
  const [prepared] = prepareUploadFiles([file], BACKEND_MAX_FILE_BYTES)
  const { blob, name } = prepared!
  const plan = await openUpload(opts, sessionId, blob, name, options)
  options.onCreated?.(plan.uploadId)
  const partsUrl = (n: number) => paths.largeUploadPart(sessionId, plan.uploadId, n)
  const base = await resolveBaseUrl(opts)
  let confirmed = plan.receivedParts.reduce(
    (sum, n) => sum + partLengthOf(blob.size, plan.partSize, n),
    0,
  )
  options.onProgress?.(confirmed, blob.size)

  // Twice at most: a part the worker lost between our send and its record shows up as missing.
  let missing = plan.missingParts
  for (let round = 0; missing.length > 0 && round < 2; round++) {
    for (const n of missing) {
      const start = (n - 1) * plan.partSize
      const slice = blob.slice(start, start + partLengthOf(blob.size, plan.partSize, n))
      await sendPartWithRetries(opts, base + partsUrl(n), slice, options, (loaded) =>
        options.onProgress?.(confirmed + loaded, blob.size),
      )
      confirmed += slice.size
    }
    const status = await requestJson(
      opts,
      { method: 'GET', path: paths.largeUpload(sessionId, plan.uploadId) },
      LargeUploadStatus,
    )
    missing = status.missingParts
  }
  options.signal?.throwIfAborted()
  const result = await requestJson(
    opts,
    { method: 'POST', path: paths.completeLargeUpload(sessionId, plan.uploadId) },
    UploadResult,
  )
  options.onProgress?.(blob.size, blob.size)
  return result
}

/** The plan of a new upload, or where a resumed one stands. */
async function openUpload(
  opts: WorkerClientOptions,
  sessionId: string,
  blob: Blob,
  name: string,
  options: LargeUploadOptions,
): Promise<Pick<LargeUploadStatus, 'uploadId' | 'partSize' | 'receivedParts' | 'missingParts'>> {
  if (options.resumeUploadId) {
    const status = await requestJson(
      opts,
      { method: 'GET', path: paths.largeUpload(sessionId, options.resumeUploadId) },
      LargeUploadStatus,
    )
    if (status.size !== blob.size)
      throw clientError('invalid_request', 'The upload to resume is of another file.')
    return status
  }
  const created = await requestJson(
    opts,
    {
      method: 'POST',
      path: paths.largeUploads(sessionId),
      body: {
        filename: name,
        size: blob.size,
        contentType: blob.type,
        ...(options.partSize && { partSize: options.partSize }),
      },
    },
    LargeUploadCreated,
  )
  const all = Array.from({ length: created.partCount }, (_, i) => i + 1)
  return {
    uploadId: created.uploadId,
    partSize: created.partSize,
    receivedParts: [],
    missingParts: all,
  }
}

/** One part, tried again after a dropped connection, a cut-off body, a 5xx or a 429. */
async function sendPartWithRetries(
  opts: WorkerClientOptions,
  url: string,
  slice: Blob,
  options: LargeUploadOptions,
  onLoaded: (loaded: number) => void,
): Promise<void> {
  const attempts = options.partAttempts ?? 3
  const delay = options.retryDelayMs ?? ((attempt: number) => 1000 * 2 ** (attempt - 1))
  let key = await opts.getKey()
  let renewed = false
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted()
    let failure: ApiRequestError
    try {
      const { status, body } = await sendWithProgress({
        xhr: options.createXhr?.() ?? new XMLHttpRequest(),
        method: 'PUT',
        url,
        key,
        body: slice,
        contentType: 'application/octet-stream',
        onProgress: onLoaded,
        signal: options.signal,
      })
      if (status >= 200 && status < 300) return
      if (status === 401 && !renewed) {
        renewed = true
        key = await opts.getKey({ renew: true, rejected: key })
        attempt--
        continue
      }
      failure = errorFromBody(body, status)
    } catch (err) {
      if (!isUnreachable(err)) throw err
      failure = err
    }
    onLoaded(0)
    if (!isWorthRetrying(failure) || attempt >= attempts) throw failure
    await abortableSleep(delay(attempt), options.signal)
  }
}

function isWorthRetrying(err: ApiRequestError): boolean {
  if (err.source === 'unreachable') return true
  if (err.status >= 500 || err.status === 429) return true
  // The worker got the part cut short: the same bytes go again.
  return err.code === 'invalid_request' && (err.error.issues ?? []).some((i) => i.path === 'body')
}
