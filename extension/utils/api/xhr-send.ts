import { unreachable } from './errors.ts'

/**
 * Sends a body to the worker with XMLHttpRequest, for its upload progress (fetch has none).
 * Resolves with the status and the JSON answer (undefined if it is not JSON); a connection that
 * fails is an `unreachable` ApiRequestError, an abort rejects with the signal's reason.
 */
export function sendWithProgress(opts: {
  xhr: XMLHttpRequest
  method: 'POST' | 'PUT'
  url: string
  key: string
  body: XMLHttpRequestBodyInit
  contentType?: string
  onProgress?: (loaded: number, total: number) => void
  signal?: AbortSignal
}): Promise<{ status: number; body: unknown }> {
  const { xhr, signal } = opts
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted()
    xhr.open(opts.method, opts.url)
    xhr.setRequestHeader('Authorization', `Bearer ${opts.key}`)
    xhr.setRequestHeader('Accept', 'application/json')
    if (opts.contentType) xhr.setRequestHeader('Content-Type', opts.contentType)
    xhr.responseType = 'text'
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : 0)
    xhr.onload = () => {
      let body: unknown
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = undefined
      }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(unreachable(new Error(`${opts.method} upload connection failed`)))
    xhr.onabort = () => reject(signal?.reason ?? new DOMException('Upload aborted', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(opts.body)
  })
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}
