import { WorkerError } from '../errors.ts'
import { isAllowedHop } from './named-urls.ts'

const MAX_REDIRECTS = 3
/** Types a preview can draw or play; anything else (an HTML page, a script) is refused. */
const MEDIA_TYPE = /^(image|video|audio)\/|^(application|binary)\/octet-stream/i

export interface MediaFetchLimits {
  /** The largest file served, by its announced length or by what arrives. */
  maxBytes: number
  /** For the answer's headers, and then for each chunk of the body. */
  timeoutMs: number
  backendOrigin: string
}

/**
 * Fetches a media file for the preview and streams it on: redirects followed by hand (each hop
 * must pass the host rule), only media types, refused early when the announced length is over the
 * cap, cut off when the body runs past it or stalls. Throws `WorkerError`s the funnel words.
 */
export async function fetchMedia(url: string, limits: MediaFetchLimits): Promise<Response> {
  let target = url
  for (let hop = 0; ; hop++) {
    const res = await fetchWithTimeout(target, limits.timeoutMs)
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel()
      const next = new URL(res.headers.get('location') ?? '', target).href
      if (hop >= MAX_REDIRECTS || !isAllowedHop(next, limits.backendOrigin))
        throw new WorkerError('media_not_allowed')
      target = next
      continue
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel()
      throw new WorkerError('media_fetch_failed', { params: { httpStatus: res.status } })
    }
    const type = res.headers.get('content-type') ?? 'application/octet-stream'
    if (!MEDIA_TYPE.test(type)) {
      await res.body.cancel()
      // The type is the host's, not a secret; kept short for the envelope.
      const contentType = type.split(';', 1)[0]!.trim().slice(0, 100)
      throw new WorkerError('media_unsupported_type', { params: { contentType } })
    }
    const length = Number(res.headers.get('content-length') ?? NaN)
    if (Number.isFinite(length) && length > limits.maxBytes) {
      await res.body.cancel()
      throw new WorkerError('media_too_large', { params: { limitBytes: limits.maxBytes } })
    }
    const headers = new Headers({
      'Content-Type': type,
      'Cache-Control': 'private, max-age=300',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    })
    const body = capped(res.body, limits)
    if (Number.isSafeInteger(length) && length >= 0) {
      headers.set('Content-Length', String(length))
      const { readable, writable } = new FixedLengthStream(length)
      void body.pipeTo(writable).catch(() => {})
      return new Response(readable, { status: 200, headers })
    }
    return new Response(body, { status: 200, headers })
  }
}

async function fetchWithTimeout(url: string, timeoutMs: number): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    return await fetch(url, {
      redirect: 'manual',
      signal: controller.signal,
      headers: { Accept: 'image/*, video/*, audio/*' },
    })
  } catch (err) {
    if (controller.signal.aborted) throw new WorkerError('media_timeout', { cause: err })
    throw new WorkerError('media_fetch_failed', { cause: err })
  } finally {
    clearTimeout(timer)
  }
}

/** The body passed through, errored past `maxBytes` or when a chunk takes over `timeoutMs`. */
function capped(source: ReadableStream<Uint8Array>, limits: MediaFetchLimits) {
  const reader = source.getReader()
  let total = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('media body stalled')), limits.timeoutMs)
      })
      try {
        const { done, value } = await Promise.race([reader.read(), stalled])
        if (done) return controller.close()
        total += value.byteLength
        if (total > limits.maxBytes) throw new Error('media body over the size cap')
        controller.enqueue(value)
      } catch (err) {
        void reader.cancel().catch(() => {})
        controller.error(err)
      } finally {
        clearTimeout(timer)
      }
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
}
