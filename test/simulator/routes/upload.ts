import { Hono } from 'hono'
import { z } from 'zod'
import {
  MIME_TO_FORMAT,
  mediaFormatOf,
  mediaKindOf,
  type MediaFormat,
} from '../../../shared/media.ts'
import type { SimContext, SimEnv } from '../context.ts'
import { applyMedia, type MediaItem } from '../draft.ts'
import { boundaryOf, readMultipart } from '../multipart.ts'
import { hashBytes } from '../prng.ts'
import { uploadData } from '../profiles.ts'
import { fail, ok } from '../respond.ts'

const UrlBody = z.object({
  urls: z.array(z.string().min(1)).min(1),
  source_type: z.literal('url').optional(),
})

/** Plausible metadata for a file the simulator cannot really probe. */
function describe(
  filename: string,
  format: MediaFormat,
  size: number,
  hash: number,
  origin: string,
): MediaItem {
  const kind = mediaKindOf(format)
  const hex = `${hash.toString(16).padStart(8, '0')}${size.toString(16)}`
  const base = {
    filename,
    file_type: kind,
    cdn_url: `${origin}/cdn/${hex}/${encodeURIComponent(filename)}`,
    hash: hex,
    size,
  }
  if (kind === 'video') {
    return {
      ...base,
      duration: Math.min(600, Math.max(1, Math.round(size / 50_000) / 10)),
      width: 1920,
      height: 1080,
      fps: 30,
    }
  }
  if (kind === 'audio')
    return {
      ...base,
      duration: Math.max(1, Math.round(size / 1_600) / 10),
      width: 0,
      height: 0,
      fps: 0,
    }
  return { ...base, duration: 0, width: 1080, height: 1080, fps: 0 }
}

const formatOf = (filename: string, contentType?: string): MediaFormat | undefined =>
  mediaFormatOf(filename) ??
  (filename.includes('.') ? undefined : MIME_TO_FORMAT[contentType?.split(';')[0]?.trim() ?? ''])

/** Uploads: a multipart body read as a stream (limits answer mid-body), or JSON with URLs. */
export function uploadRoutes(sim: SimContext) {
  return new Hono<SimEnv>().post('/api/upload-video/nemo_agent/me/:sid', async (c) => {
    const { state } = sim
    const session = state.sessions.get(c.req.param('sid'))
    if (!session || session.userId !== c.var.auth.userId) return fail(1002)
    const origin = new URL(c.req.url).origin
    const contentType = c.req.header('content-type') ?? ''
    const entry = c.var.entry
    const items: MediaItem[] = []

    if (contentType.includes('json')) {
      const parsed = UrlBody.safeParse(entry.body)
      if (!parsed.success) return fail(400, 'urls must be a non-empty array')
      for (const url of parsed.data.urls) {
        const name = decodeURIComponent(new URL(url, origin).pathname.split('/').pop() || 'file')
        const format = formatOf(name)
        if (!format) return fail(4001, `Unsupported file type: ${name}`)
        items.push(describe(name, format, 2_000_000 + url.length, url.length * 2654435761, origin))
      }
    } else {
      const boundary = boundaryOf(contentType)
      if (!contentType.includes('multipart/form-data') || !boundary || !c.req.raw.body) {
        return fail(400, 'Expected multipart/form-data or JSON')
      }
      const limit = state.config.maxFileBytes
      let current: { filename: string; format: MediaFormat; size: number; hash: number } | undefined
      entry.uploadBytes = 0
      const result = await readMultipart<Response>(c.req.raw.body, boundary, {
        progress: (total) => {
          entry.uploadBytes = total
        },
        part: (info) => {
          if (info.name !== 'files' || info.filename === undefined) return
          const format = formatOf(info.filename, info.contentType)
          if (!format) return fail(4001, `Unsupported file type: ${info.filename}`)
          current = { filename: info.filename, format, size: 0, hash: 0x811c9dc5 }
        },
        data: (bytes) => {
          if (!current) return
          current.size += bytes.length
          if (current.size > limit) return fail(4002, `File too large: over ${limit} bytes`)
          current.hash = hashBytes(current.hash, bytes)
        },
        end: () => {
          if (current)
            items.push(
              describe(current.filename, current.format, current.size, current.hash, origin),
            )
          current = undefined
        },
      })
      if (result.stopped) return result.stopped
      if (!result.complete) return fail(400, 'Malformed multipart body')
    }
    if (items.length === 0) return fail(400, 'No files in field "files"')
    session.media.push(...items)
    applyMedia(session.draft, items)
    // `size` is the simulator's own bookkeeping, not part of the answer.
    const files = items.map(({ size: _size, ...file }) => file)
    return ok(uploadData(state.config.profile, files))
  })
}
