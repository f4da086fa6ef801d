import { browser } from 'wxt/browser'
import { z } from 'zod/mini'
import { MIME_TO_FORMAT } from '../../shared/media.ts'
import { t } from '../utils/i18n.ts'
import { hasOriginAccess, requestOriginAccess } from './host-access.ts'
import { bytesId, decodeDataUrl, imageSourceKind, sameOrigin } from '../utils/image-source.ts'
import {
  ArticleAgentReply,
  MenuId,
  ResolvedImageReply,
  type ArticleChosenMessage,
  type CaptureMessage,
  type PickedImage,
} from '../utils/messages.ts'
import { openPanel } from './open-panel.ts'
import { pendingIntentItem } from '../utils/storage.ts'
import { injectAgent, askAgent, readImageViaAgent, ARTICLE_AGENT_FILE } from './tab-agent.ts'
import { addTrayImages, addTrayText, getTrayItems, type NewTrayImage } from '../utils/tray.ts'

/** A capture request: what a context-menu click carries, or the same sent as a message. */
export type CaptureRequest = Omit<CaptureMessage, 'type'>

/** Where the image was found, for reading bytes the page owns. */
interface ImageContext {
  tabId?: number
  frameId: number
  pageUrl: string
  /** A permission request started during the user's click, if one was needed. */
  access?: Promise<boolean>
}

export class CaptureError extends Error {}

/**
 * What a context-menu click does; the popup and the end-to-end suite reach it through a
 * `capture` message. The side panel and any permission prompt are started synchronously, while
 * the click still counts as a user action; the rest runs after.
 */
export function handleMenuClick(
  info: {
    menuItemId: string | number
    srcUrl?: string
    selectionText?: string
    pageUrl?: string
    frameId?: number
  },
  tab?: { id?: number; windowId?: number; url?: string },
): Promise<string[]> {
  const action = MenuId.safeParse(info.menuItemId)
  if (!action.success) return Promise.resolve([])
  return startCapture({
    action: action.data,
    tabId: tab?.id,
    windowId: tab?.windowId,
    frameId: info.frameId,
    srcUrl: info.srcUrl,
    selectionText: info.selectionText,
    pageUrl: info.pageUrl ?? tab?.url,
  })
}

export function startCapture(req: CaptureRequest): Promise<string[]> {
  const makeVideo = req.action === 'make-from-image' || req.action === 'make-from-text'
  if (makeVideo) void openPanel(req.windowId)
  const access = needsAccessPrompt(req) ? requestOriginAccess(req.srcUrl!) : undefined
  return runCapture(req, access).catch(async (err: unknown) => {
    await notifyProblem(err instanceof CaptureError ? err.message : t('bg_capture_failed'))
    return []
  })
}

/** A LAN/localhost image on another origin than the page: only the extension can fetch it. */
function needsAccessPrompt(req: CaptureRequest): boolean {
  if (req.action !== 'add-image' && req.action !== 'make-from-image') return false
  return (
    !!req.srcUrl &&
    imageSourceKind(req.srcUrl) === 'private' &&
    !sameOrigin(req.srcUrl, req.pageUrl)
  )
}

async function runCapture(
  req: CaptureRequest,
  access: Promise<boolean> | undefined,
): Promise<string[]> {
  const pageUrl = req.pageUrl ?? ''
  if (req.action === 'pick-images') {
    if (req.tabId === undefined || !(await injectAgent(req.tabId, 0)))
      throw new CaptureError(t('bg_picker_unavailable'))
    await askAgent(req.tabId, 0, { type: 'open-picker' }, z.partial(ResolvedImageReply))
    return []
  }
  if (req.action === 'make-from-article') {
    // The top frame is the article; Readability comes with its own script, injected only now.
    if (req.tabId === undefined || !(await injectAgent(req.tabId, 0, ARTICLE_AGENT_FILE)))
      throw new CaptureError(t('bg_picker_unavailable'))
    const opened = await askAgent(req.tabId, 0, { type: 'open-article' }, ArticleAgentReply)
    if (!opened?.ok) throw new CaptureError(t('bg_picker_unavailable'))
    return []
  }
  let ids: string[]
  if (req.action === 'make-from-text') {
    const text = req.selectionText?.trim()
    if (!text) return []
    // The selection is the script of the images already collected, when there are some.
    const images = (await getTrayItems()).filter((i) => i.kind === 'image').map((i) => i.id)
    ids = [...images, await addTrayText({ text, pageUrl })]
  } else {
    if (!req.srcUrl) return []
    const ctx: ImageContext = { tabId: req.tabId, frameId: req.frameId ?? 0, pageUrl, access }
    const resolved = await resolveInPage(req.srcUrl, ctx)
    ids = await addTrayImages([await obtainImage(resolved, ctx)])
  }
  if (req.action !== 'add-image') await markMakeVideo(ids)
  return ids
}

/** The picker's "Make video": its images go to the tray and the panel opens. */
export function handlePickerChosen(
  images: readonly PickedImage[],
  pageUrl: string,
  sender: { tab?: { id?: number; windowId?: number }; frameId?: number },
): Promise<string[]> {
  void openPanel(sender.tab?.windowId)
  const ctx: ImageContext = { tabId: sender.tab?.id, frameId: sender.frameId ?? 0, pageUrl }
  return (async () => {
    const obtained: NewTrayImage[] = []
    for (const img of images) {
      const one = await obtainImage({ ...img, needsCookies: false }, ctx).catch(() => undefined)
      if (one) obtained.push(one)
    }
    if (!obtained.length) throw new CaptureError(t('bg_capture_failed'))
    const ids = await addTrayImages(obtained)
    await markMakeVideo(ids)
    return ids
  })()
}

/**
 * The article picker's "Make video": its images and its script (named after the article) go to
 * the tray as one "make video", and the panel opens.
 */
export function handleArticleChosen(
  msg: Omit<ArticleChosenMessage, 'type'>,
  sender: { tab?: { id?: number; windowId?: number }; frameId?: number },
): Promise<string[]> {
  void openPanel(sender.tab?.windowId)
  const ctx: ImageContext = {
    tabId: sender.tab?.id,
    frameId: sender.frameId ?? 0,
    pageUrl: msg.pageUrl,
  }
  return (async () => {
    const obtained: NewTrayImage[] = []
    for (const img of msg.images) {
      const one = await obtainImage({ ...img, needsCookies: false }, ctx).catch(() => undefined)
      if (one) obtained.push(one)
    }
    if (!obtained.length && !msg.script.trim()) throw new CaptureError(t('bg_capture_failed'))
    const ids = await addTrayImages(obtained)
    const title = msg.title.trim() || undefined
    ids.push(await addTrayText({ text: msg.script.trim(), pageUrl: msg.pageUrl, title }))
    await markMakeVideo(ids)
    return ids
  })()
}

async function resolveInPage(srcUrl: string, ctx: ImageContext): Promise<ResolvedImageReply> {
  const fallback: ResolvedImageReply = { url: srcUrl, alt: '', needsCookies: false }
  if (ctx.tabId === undefined || !(await injectAgent(ctx.tabId, ctx.frameId))) return fallback
  return (
    (await askAgent(
      ctx.tabId,
      ctx.frameId,
      { type: 'resolve-image', srcUrl },
      ResolvedImageReply,
    )) ?? fallback
  )
}

/**
 * Turns a found image into a tray entry: public URLs stay URLs (the worker has the backend fetch
 * them); `data:` is decoded here; `blob:` and images behind cookies or on a private network are
 * read as bytes, by the extension when it has access to the origin, else by the page agent.
 */
export async function obtainImage(
  img: ResolvedImageReply,
  ctx: ImageContext,
): Promise<NewTrayImage> {
  const base = { pageUrl: ctx.pageUrl, alt: img.alt, width: img.width, height: img.height }
  const kind = imageSourceKind(img.url)
  if (kind === 'unsupported') throw new CaptureError(t('bg_capture_failed'))
  if (kind === 'public' && !img.needsCookies) return { ...base, src: img.url }
  let bytes: Blob | undefined
  let src = img.url
  if (kind === 'data') {
    bytes = decodeDataUrl(img.url)
    if (bytes) src = `data:${bytes.type};sha256,${await bytesId(bytes)}`
  } else if (kind !== 'blob' && ((await ctx.access) || (await hasOriginAccess(img.url)))) {
    bytes = await fetch(img.url, { credentials: 'include' })
      .then((r) => (r.ok ? r.blob() : undefined))
      .catch(() => undefined)
  }
  if (!bytes && ctx.tabId !== undefined)
    bytes = await readImageViaAgent(ctx.tabId, ctx.frameId, img.url)
  if (!bytes || !isSupportedImage(bytes)) throw new CaptureError(t('bg_capture_failed'))
  return { ...base, src, bytes, mime: bytes.type }
}

function isSupportedImage(blob: Blob): boolean {
  const format = MIME_TO_FORMAT[blob.type.split(';')[0]?.trim().toLowerCase() ?? '']
  return format === 'jpg' || format === 'png' || format === 'gif' || format === 'webp'
}

async function markMakeVideo(itemIds: string[]): Promise<void> {
  if (itemIds.length)
    await pendingIntentItem.setValue({ kind: 'make_video', itemIds, at: Date.now() })
}

async function notifyProblem(message: string): Promise<void> {
  await browser.notifications
    .create({
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icons/128.png'),
      title: t('ext_name'),
      message,
    })
    .catch(() => {})
}
