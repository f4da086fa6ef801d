import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'

/** The most any JSON route accepts: the largest real request (64 URLs, a long message) is ~10 KiB. */
export const JSON_BODY_MAX_BYTES = 64 * 1024

// The streamed routes check their own Content-Length against the upload limits and never parse.
const UPLOAD = /^\/v1\/sessions\/[^/]+\/uploads$/
const UPLOAD_PART = /^\/v1\/sessions\/[^/]+\/uploads\/large\/[^/]+\/parts\/[^/]+$/

/** Whether a request's body is streamed by its route (and so not held to the JSON limit). */
export function isStreamedBody(method: string, path: string): boolean {
  return (method === 'POST' && UPLOAD.test(path)) || (method === 'PUT' && UPLOAD_PART.test(path))
}

/**
 * Refuses a body over the JSON limit before anything parses it, on every route but the streamed
 * uploads: a declared Content-Length is checked without reading a byte; a body without one (chunked)
 * is read up to the limit and no further, then handed on as bytes. A deep or long JSON document can
 * then cost at most the limit (issue 11: a 5 MB nested body grew the isolate by 193 MB).
 */
export async function limitBody(c: Context<AppEnv>): Promise<void> {
  const raw = c.req.raw
  if (!raw.body || isStreamedBody(raw.method, c.req.path)) return
  const declared = raw.headers.get('Content-Length')
  if (declared !== null && !raw.headers.has('Transfer-Encoding')) {
    if (!/^\d{1,16}$/.test(declared) || Number(declared) > JSON_BODY_MAX_BYTES)
      throw tooLarge(raw.body)
    return
  }
  const reader = raw.body.getReader()
  const buffer = new Uint8Array(JSON_BODY_MAX_BYTES)
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (size + value.byteLength > JSON_BODY_MAX_BYTES) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    buffer.set(value, size)
    size += value.byteLength
  }
  c.req.raw = new Request(raw, { body: buffer.slice(0, size) })
}

function tooLarge(body?: ReadableStream): WorkerError {
  // The unread rest is dropped, not drained: the answer goes out at once.
  void body?.cancel().catch(() => undefined)
  return new WorkerError('body_too_large', { params: { limitBytes: JSON_BODY_MAX_BYTES } })
}
