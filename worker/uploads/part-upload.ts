import { WorkerError } from '../errors.ts'
import type { PartTarget } from './large-upload.ts'

/**
 * Streams one part's request body into R2's multipart upload and answers R2's etag. The body goes
 * through a FixedLengthStream of the declared length: R2 needs a stream of known length, and a body
 * that ends early (a dropped connection) or runs long fails the part instead of storing a wrong one.
 */
export async function streamPartToR2(
  bucket: R2Bucket,
  target: PartTarget,
  partNumber: number,
  body: ReadableStream<Uint8Array> | null,
): Promise<string> {
  if (!body && target.length > 0) throw incomplete()
  const { readable, writable } = new FixedLengthStream(target.length)
  const piping = (body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }))
    .pipeTo(writable)
    .then(
      () => undefined,
      (err: unknown) => err ?? new Error('body failed'),
    )
  try {
    const part = await bucket
      .resumeMultipartUpload(target.r2Key, target.r2UploadId)
      .uploadPart(partNumber, readable)
    return part.etag
  } catch (err) {
    // A body that broke off is the client's to send again; anything else is ours.
    const bodyError = await Promise.race([
      piping,
      new Promise((r) => setTimeout(r, 1000, undefined)),
    ])
    if (bodyError) throw incomplete()
    throw new WorkerError('internal', { cause: err })
  }
}

function incomplete(): WorkerError {
  return new WorkerError('invalid_request', {
    issues: [
      {
        path: 'body',
        message: 'the part did not arrive whole (Content-Length bytes); send it again',
      },
    ],
  })
}
