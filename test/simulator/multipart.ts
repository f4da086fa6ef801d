/** One part's headers, as the streaming parser hands them over. */
export interface PartInfo {
  name: string
  filename?: string
  contentType?: string
}

/** Return a value from a handler to stop reading: the parser cancels the body and hands it back. */
export interface MultipartHandlers<S> {
  part(info: PartInfo): S | void
  data(bytes: Uint8Array): S | void
  end(): S | void
  /** Total body bytes read so far, after every chunk. */
  progress(total: number): void
}

export type MultipartResult<S> = { stopped: S } | { stopped?: undefined; complete: boolean }

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const MAX_HEADER_BYTES = 16 * 1024

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match?.[1] ?? match?.[2]
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0] as number
  for (
    let i = hay.indexOf(first, from);
    i >= 0 && i <= hay.length - needle.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let j = 1
    while (j < needle.length && hay[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

function parseHeaders(block: string): PartInfo {
  const info: PartInfo = { name: '' }
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':')
    const key = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (key === 'content-disposition') {
      info.name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? ''
      const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(value)?.[1]
      const plain = /\bfilename="([^"]*)"/i.exec(value)?.[1]
      if (star) info.filename = decodeURIComponent(star.replace(/"/g, ''))
      else if (plain !== undefined) info.filename = plain
    } else if (key === 'content-type') info.contentType = value
  }
  return info
}

/**
 * Reads a multipart/form-data body as it arrives, never holding more than one part's headers or a
 * boundary's length of file bytes, so a 500 MB upload costs no memory and a limit can answer
 * before the rest of the body was sent.
 */
export async function readMultipart<S>(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  h: MultipartHandlers<S>,
): Promise<MultipartResult<S>> {
  const delimiter = encoder.encode(`--${boundary}`)
  const bodyDelimiter = encoder.encode(`\r\n--${boundary}`)
  const headerEnd = encoder.encode('\r\n\r\n')
  const reader = body.getReader()
  let buffer: Uint8Array = new Uint8Array(0)
  let state: 'preamble' | 'delimiter' | 'headers' | 'body' | 'epilogue' = 'preamble'
  let total = 0
  const stop = async (value: S): Promise<MultipartResult<S>> => {
    await reader.cancel().catch(() => {})
    return { stopped: value }
  }

  for (;;) {
    const { done, value } = await reader.read()
    if (done) return { complete: state === 'epilogue' }
    total += value.length
    h.progress(total)
    buffer = concat(buffer, value)
    for (let progressed = true; progressed;) {
      progressed = false
      if (state === 'preamble') {
        const at = indexOf(buffer, delimiter)
        if (at >= 0) {
          buffer = buffer.subarray(at)
          state = 'delimiter'
          progressed = true
        } else buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length))
      } else if (state === 'delimiter') {
        if (buffer.length < delimiter.length + 2) break
        const tail = decoder.decode(buffer.subarray(delimiter.length, delimiter.length + 2))
        if (tail === '--') {
          state = 'epilogue'
          buffer = new Uint8Array(0)
        } else {
          buffer = buffer.subarray(delimiter.length + (tail === '\r\n' ? 2 : 0))
          state = 'headers'
          progressed = true
        }
      } else if (state === 'headers') {
        const at = indexOf(buffer, headerEnd)
        if (at < 0) {
          if (buffer.length > MAX_HEADER_BYTES) return { complete: false }
          break
        }
        const stopped = h.part(parseHeaders(decoder.decode(buffer.subarray(0, at))))
        if (stopped !== undefined) return stop(stopped)
        buffer = buffer.subarray(at + headerEnd.length)
        state = 'body'
        progressed = true
      } else if (state === 'body') {
        const at = indexOf(buffer, bodyDelimiter)
        const safe = at >= 0 ? at : Math.max(0, buffer.length - bodyDelimiter.length + 1)
        if (safe > 0) {
          const stopped = h.data(buffer.subarray(0, safe))
          if (stopped !== undefined) return stop(stopped)
        }
        if (at >= 0) {
          const stopped = h.end()
          if (stopped !== undefined) return stop(stopped)
          buffer = buffer.subarray(at + 2)
          state = 'delimiter'
          progressed = true
        } else buffer = buffer.slice(safe)
      } else {
        buffer = new Uint8Array(0)
      }
    }
  }
}
