/**
 * A multipart/form-data body of an exact total size, generated as it is read: never held in memory,
 * so the bench's own heap does not depend on the size it sends.
 * @module
 */

const CHUNK = 64 * 1024

export interface MultipartBody {
  body: ReadableStream<Uint8Array>
  contentType: string
  contentLength: number
}

/** One `files` part (`bench.mp4`, video/mp4) padded so the whole body is `totalBytes` long. */
export function multipartOfSize(totalBytes: number): MultipartBody {
  const boundary = `----pagereel-bench-${Date.now().toString(36)}`
  const encoder = new TextEncoder()
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="bench.mp4"\r\n` +
      `Content-Type: video/mp4\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const payload = totalBytes - head.length - tail.length
  if (payload <= 0) throw new Error(`${totalBytes} bytes cannot hold a part`)
  let sent = 0
  let headSent = false
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!headSent) {
          headSent = true
          return controller.enqueue(head)
        }
        if (sent < payload) {
          const n = Math.min(CHUNK, payload - sent)
          // A fresh chunk each time: a sent buffer may be transferred or still queued.
          const chunk = new Uint8Array(n).fill(0x42)
          sent += n
          return controller.enqueue(chunk)
        }
        controller.enqueue(tail)
        controller.close()
      },
    },
    { highWaterMark: 0 },
  )
  return {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: totalBytes,
  }
}
