/** A file to send as the one `files` part of a multipart/form-data body. */
export interface FormFile {
  filename: string
  contentType: string
  /** Exact byte count of `content`. */
  size: number
}

export interface FormBody {
  body: ReadableStream<Uint8Array>
  contentType: string
  /** Preamble + file + epilogue: what the backend needs in Content-Length. */
  contentLength: number
}

const encoder = new TextEncoder()

/**
 * Wraps a file's stream in a multipart/form-data body without buffering it: the part's header, the
 * content piped through, the closing boundary, all written into a FixedLengthStream of the exact
 * total, so the request goes out with Content-Length instead of chunked (platform-notes 3.6). A
 * content stream shorter or longer than `size` errors the body, and with it the request.
 */
export function formDataBody(file: FormFile, content: ReadableStream<Uint8Array>): FormBody {
  const boundary = `----pagereel${crypto.randomUUID().replaceAll('-', '')}`
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${quotedName(file.filename)}"\r\n` +
      `Content-Type: ${partType(file.contentType)}\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const contentLength = head.byteLength + file.size + tail.byteLength
  const { readable, writable } = new FixedLengthStream(contentLength)
  // Not awaited: the fetch that reads `readable` is what lets these writes complete.
  void (async () => {
    let writer = writable.getWriter()
    await writer.write(head)
    writer.releaseLock()
    await content.pipeTo(writable, { preventClose: true })
    writer = writable.getWriter()
    await writer.write(tail)
    await writer.close()
  })().catch(async (err: unknown) => {
    await writable.abort(err).catch(() => undefined)
    await content.cancel(err).catch(() => undefined)
  })
  return {
    body: readable as ReadableStream<Uint8Array>,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
  }
}

/** RFC 7578 4.2: a quoted name with `"`, CR and LF percent-encoded, as browsers send it. */
function quotedName(name: string): string {
  return name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

function partType(type: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type.toLowerCase() : 'application/octet-stream'
}
