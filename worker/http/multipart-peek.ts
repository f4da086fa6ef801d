import { WorkerError } from '../errors.ts'

/** The first part's header block must show up within this many bytes. */
const PEEK_LIMIT = 64 * 1024

export interface FirstPart {
  /** The part's `filename` from Content-Disposition, if any. */
  filename: string | undefined
  /** The part's own Content-Type, if any. */
  contentType: string | undefined
}

export interface PeekedBody {
  first: FirstPart
  /** The whole body again, byte for byte, with its length known to the runtime. */
  body: ReadableStream<Uint8Array>
}

/** The multipart boundary of a Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return undefined
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType)
  return m?.[1] ?? m?.[2]
}

/**
 * Reads just enough of a multipart body to see its first part's headers (so an unsupported file
 * is refused before anything goes upstream), then hands back the whole body as a
 * FixedLengthStream of the declared length: nothing is buffered beyond the few chunks read, and the
 * upstream request keeps its Content-Length instead of going out chunked (platform-notes 3.6).
 */
export async function peekFirstPart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  contentLength: number,
): Promise<PeekedBody> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let seen = 0
  let first: FirstPart | undefined
  const decoder = new TextDecoder('latin1')
  let text = ''
  while (!first) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    seen += value.byteLength
    text += decoder.decode(value, { stream: true })
    first = parseFirstPart(text, boundary)
    if (!first && seen >= PEEK_LIMIT) break
  }
  if (!first) {
    reader.releaseLock()
    await body.cancel().catch(() => undefined)
    throw new WorkerError('invalid_request', {
      issues: [{ path: 'body', message: 'not a multipart body with a file part' }],
    })
  }
  reader.releaseLock()

  const { readable, writable } = new FixedLengthStream(contentLength)
  const writer = writable.getWriter()
  // Not awaited: fetch must start reading `readable` for these writes to complete.
  void (async () => {
    for (const chunk of chunks) await writer.write(chunk)
    writer.releaseLock()
    await body.pipeTo(writable)
  })().catch(() => {
    // A short or aborted body errors `readable`, and with it the upstream request.
  })
  return { first, body: readable as ReadableStream<Uint8Array> }
}

function parseFirstPart(text: string, boundary: string): FirstPart | undefined {
  const start = text.indexOf(`--${boundary}`)
  if (start < 0) return undefined
  const headersStart = text.indexOf('\r\n', start)
  if (headersStart < 0) return undefined
  const end = text.indexOf('\r\n\r\n', headersStart)
  if (end < 0) return undefined
  const headers = text.slice(headersStart + 2, end).split('\r\n')
  const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? ''
  const type = headers.find((h) => /^content-type:/i.test(h))
  const name = /;\s*filename\*?=(?:UTF-8''([^;]+)|"([^"]*)"|([^;\s]+))/i.exec(disposition)
  const encoded = name?.[1]
  let filename = name?.[2] ?? name?.[3]
  if (encoded) {
    try {
      filename = decodeURIComponent(encoded)
    } catch {
      filename = encoded
    }
  }
  return {
    filename,
    contentType:
      type
        ?.slice(type.indexOf(':') + 1)
        .trim()
        .toLowerCase() || undefined,
  }
}
