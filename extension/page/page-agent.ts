import { browser } from 'wxt/browser'
import { resolveImageForSrc } from './image-candidates.ts'
import { blobToBase64, sameOrigin } from '../utils/image-source.ts'
import {
  AgentMessage,
  IMAGE_CHUNK_BYTES,
  type ImageChunkReply,
  type ResolvedImageReply,
} from '../utils/messages.ts'
import { findPageImages } from './page-images.ts'
import { openPickerOverlay } from './picker-overlay.ts'

/**
 * The extension's helper inside a page, injected on demand (activeTab + scripting) rather than
 * into every page: resolves the image behind a menu click, reads bytes only the page can read
 * (blob:, images behind the site's cookies) and opens the picker.
 */
export function installPageAgent(win: Window & typeof globalThis, doc: Document): void {
  const flag = win as unknown as { __pagereelAgent?: boolean }
  if (flag.__pagereelAgent) return
  flag.__pagereelAgent = true
  const reading = new Map<string, Promise<Blob>>()

  browser.runtime.onMessage.addListener(
    (raw: unknown, _sender, sendResponse: (r: unknown) => void) => {
      const parsed = AgentMessage.safeParse(raw)
      if (!parsed.success) return false
      const msg = parsed.data
      if (msg.type === 'open-picker') {
        const images = findPageImages(doc, win)
        openPickerOverlay(doc, images, win.location.href)
        sendResponse({ ok: true, count: images.length })
        return false
      }
      const work =
        msg.type === 'resolve-image'
          ? resolve(doc, win, msg.srcUrl)
          : readChunk(reading, msg.url, msg.offset)
      work.then(sendResponse, (err: unknown) => sendResponse({ ok: false, message: String(err) }))
      return true
    },
  )
}

async function resolve(doc: Document, win: Window, srcUrl: string): Promise<ResolvedImageReply> {
  const found = resolveImageForSrc(doc, srcUrl)
  let needsCookies = false
  if (/^https?:/.test(found.url) && sameOrigin(found.url, win.location.href)) {
    // A same-origin image refused without cookies can only be read with the page's session.
    const res = await fetch(found.url, {
      method: 'HEAD',
      credentials: 'omit',
      signal: AbortSignal.timeout(3000),
    }).catch(() => undefined)
    needsCookies = res !== undefined && (res.status === 401 || res.status === 403)
  }
  return { ...found, needsCookies }
}

async function readChunk(
  reading: Map<string, Promise<Blob>>,
  url: string,
  offset: number,
): Promise<ImageChunkReply> {
  let pending = reading.get(url)
  if (!pending) {
    pending = fetch(url, { credentials: 'include' }).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`)
      return r.blob()
    })
    reading.set(url, pending)
  }
  const blob = await pending.catch((err: unknown) => {
    reading.delete(url)
    throw err
  })
  const end = Math.min(blob.size, offset + IMAGE_CHUNK_BYTES)
  if (end >= blob.size) reading.delete(url)
  return {
    ok: true,
    type: blob.type,
    size: blob.size,
    offset,
    base64: await blobToBase64(blob.slice(offset, end)),
  }
}
