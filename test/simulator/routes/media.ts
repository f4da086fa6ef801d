import { Hono } from 'hono'
import type { SimContext, SimEnv } from '../context.ts'
import { mediaFile } from '../media.ts'

/**
 * The CDN's side of the simulator: the pictures, music and clips its drafts name, public like a
 * CDN link (no token), with their length and type, streamed in chunks like a real download.
 */
export function mediaRoutes(_sim: SimContext) {
  return new Hono<SimEnv>().get('/:root{cdn|stock}/*', (c) => {
    const file = mediaFile(c.req.path)
    if (!file) return c.text('Not Found', 404)
    const { bytes } = file
    let at = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close()
        controller.enqueue(bytes.slice(at, (at += 4096)))
      },
    })
    return new Response(c.req.method === 'HEAD' ? null : body, {
      headers: {
        'content-type': file.type,
        'content-length': String(bytes.length),
        'cache-control': 'public, max-age=3600',
      },
    })
  })
}
