/** A body stream that fails when its source sends nothing for a while, and whether it did. */
export interface WatchedBody {
  body: ReadableStream<Uint8Array>
  /** True once the idle timeout fired: the failure is the sender's silence, not ours. */
  stalled(): boolean
}

/**
 * Wraps a streamed body so that a source that sends no chunk for `idleMs` is cancelled and the
 * stream errors (issue 11: an upload sending 10 bytes every half second held a backend connection
 * for 15 minutes; one sending nothing held it as long). The clock runs only while the consumer is
 * waiting for the source: a slow reader (backpressure from the backend) never counts against the
 * sender. Chunks pass through unchanged, one at a time, nothing is buffered.
 */
export function watchIdle(source: ReadableStream<Uint8Array>, idleMs: number): WatchedBody {
  const reader = source.getReader()
  let stalled = false
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined
        const silence = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            stalled = true
            reject(new Error(`no data for ${idleMs} ms`))
          }, idleMs)
        })
        try {
          const next = await Promise.race([reader.read(), silence])
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        } catch (err) {
          controller.error(err)
          await reader.cancel(err).catch(() => undefined)
        } finally {
          clearTimeout(timer)
        }
      },
      cancel(reason) {
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  return { body, stalled: () => stalled }
}
