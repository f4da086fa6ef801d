import { UploadResult, paths } from '../../../shared/api/index.ts'
import { ApiRequestError, errorFromBody } from './errors.ts'
import { resolveBaseUrl, type WorkerClientOptions } from './http.ts'
import { sendWithProgress } from './xhr-send.ts'
import { prepareUploadFiles, type UploadFile } from './upload-check.ts'

export interface UploadOptions {
  onProgress?: (loaded: number, total: number) => void
  signal?: AbortSignal
  /** The worker's request-body limit, when known; the shared default otherwise. */
  limitBytes?: number
  /** XMLHttpRequest factory (fetch has no upload progress); injectable for tests. */
  createXhr?: () => XMLHttpRequest
}

/**
 * Uploads files as multipart `files` parts with upload progress. Formats and sizes are checked
 * before any request; a 401 renews the installation key once and sends again.
 */
export async function uploadFiles(
  opts: WorkerClientOptions,
  sessionId: string,
  files: readonly UploadFile[],
  { onProgress, signal, limitBytes, createXhr = () => new XMLHttpRequest() }: UploadOptions = {},
): Promise<UploadResult> {
  const prepared = prepareUploadFiles(files, limitBytes)
  const url = (await resolveBaseUrl(opts)) + paths.uploads(sessionId)
  const form = new FormData()
  // An explicit File keeps the name in every FormData implementation (happy-dom drops the third argument).
  for (const f of prepared) form.append('files', new File([f.blob], f.name, { type: f.blob.type }))
  let key = await opts.getKey()
  for (let attempt = 0; ; attempt++) {
    const { status, body } = await sendWithProgress({
      xhr: createXhr(),
      method: 'POST',
      url,
      key,
      body: form,
      onProgress,
      signal,
    })
    if (status === 401 && attempt === 0) {
      key = await opts.getKey({ renew: true, rejected: key })
      continue
    }
    if (status < 200 || status >= 300) throw errorFromBody(body, status)
    // Some engines send no final progress event: the bar ends full once the worker answered.
    const total = prepared.reduce((sum, f) => sum + f.blob.size, 0)
    onProgress?.(total, total)
    const parsed = UploadResult.safeParse(body)
    if (!parsed.success) {
      throw new ApiRequestError(
        { code: 'upstream_unavailable', message: 'Malformed upload answer.' },
        status,
      )
    }
    return parsed.data
  }
}
