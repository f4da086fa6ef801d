import { browser } from 'wxt/browser'
import { z } from 'zod/mini'
import { ExportJob, MESSAGE_MAX_LENGTH } from '../../shared/api/index.ts'

/**
 * Messages between the extension's contexts, one schema each, parsed on receipt. Raw `onMessage`
 * listeners reply through `sendResponse` and `return true` (WXT's fake browser and Chrome both
 * ignore a returned promise).
 */

/** Menu item ids; also the `action` of a capture message, so both paths share one handler. */
export const MenuId = z.enum([
  'add-image',
  'make-from-image',
  'make-from-text',
  'pick-images',
  'make-from-article',
])
export type MenuId = z.infer<typeof MenuId>

/** What a context-menu click carries, sent by extension pages (popup, e2e tests) to the background. */
export const CaptureMessage = z.object({
  type: z.literal('capture'),
  action: MenuId,
  tabId: z.optional(z.number().check(z.int())),
  windowId: z.optional(z.number().check(z.int())),
  frameId: z.optional(z.number().check(z.int())),
  srcUrl: z.optional(z.string()),
  selectionText: z.optional(z.string()),
  pageUrl: z.optional(z.string()),
})
export type CaptureMessage = z.infer<typeof CaptureMessage>

/** An image the in-page picker offers and sends. */
export const PickedImage = z.object({
  url: z.string(),
  alt: z._default(z.string(), ''),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
})
export type PickedImage = z.infer<typeof PickedImage>

/** The picker's "Make video": the ticked images, in page order. */
export const PickerChosenMessage = z.object({
  type: z.literal('picker-chosen'),
  pageUrl: z.string(),
  images: z.array(PickedImage).check(z.minLength(1), z.maxLength(200)),
})
export type PickerChosenMessage = z.infer<typeof PickerChosenMessage>

/** The article picker's "Make video": the title, the edited script and the ticked images. */
export const ArticleChosenMessage = z.object({
  type: z.literal('article-chosen'),
  pageUrl: z.string(),
  title: z.string().check(z.maxLength(300)),
  /** The script as the user left it; the worker's limit on a message applies to it too. */
  script: z.string().check(z.maxLength(MESSAGE_MAX_LENGTH)),
  images: z.array(PickedImage).check(z.maxLength(200)),
})
export type ArticleChosenMessage = z.infer<typeof ArticleChosenMessage>

/** The UI created export jobs: follow them now rather than at the next alarm. */
export const FollowJobsMessage = z.object({
  type: z.literal('follow-jobs'),
  jobs: z.array(ExportJob).check(z.minLength(1)),
})
export type FollowJobsMessage = z.infer<typeof FollowJobsMessage>

export const BackgroundMessage = z.discriminatedUnion('type', [
  CaptureMessage,
  PickerChosenMessage,
  ArticleChosenMessage,
  FollowJobsMessage,
])
export type BackgroundMessage = z.infer<typeof BackgroundMessage>

export const BackgroundReply = z.union([
  z.object({ ok: z.literal(true), itemIds: z.optional(z.array(z.string())) }),
  z.object({ ok: z.literal(false), message: z.string() }),
])
export type BackgroundReply = z.infer<typeof BackgroundReply>

/** Messages the background sends to its page agent in a tab. */
export const AgentMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resolve-image'), srcUrl: z.string() }),
  /** Reads an image the page owns (blob:, same-origin with cookies) and answers one base64 chunk. */
  z.object({
    type: z.literal('read-image'),
    url: z.string(),
    offset: z.number().check(z.int(), z.nonnegative()),
  }),
  z.object({ type: z.literal('open-picker') }),
])
export type AgentMessage = z.infer<typeof AgentMessage>

/**
 * Messages to the article agent, a separate script injected only for "Make video from this
 * article" (it carries Readability, which no other action needs).
 */
export const ArticleAgentMessage = z.object({ type: z.literal('open-article') })
export type ArticleAgentMessage = z.infer<typeof ArticleAgentMessage>

export const ArticleAgentReply = z.object({ ok: z.boolean(), images: z.optional(z.number()) })

export const ResolvedImageReply = z.object({
  url: z.string(),
  alt: z.string(),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
  /** The image is same-origin and a credential-less request for it was refused. */
  needsCookies: z._default(z.boolean(), false),
})
export type ResolvedImageReply = z.infer<typeof ResolvedImageReply>

export const ImageChunkReply = z.union([
  z.object({
    ok: z.literal(true),
    type: z.string(),
    size: z.number(),
    offset: z.number(),
    base64: z.string(),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
])
export type ImageChunkReply = z.infer<typeof ImageChunkReply>

/** Bytes per `read-image` chunk (before base64): well under every browser's message limit. */
export const IMAGE_CHUNK_BYTES = 1024 * 1024

/**
 * Sends a message to the background and parses its reply.
 * @example await sendToBackground({ type: 'follow-jobs', jobs })
 */
export async function sendToBackground(
  message: BackgroundMessage,
  send: (m: unknown) => Promise<unknown> = (m) => browser.runtime.sendMessage(m),
): Promise<BackgroundReply> {
  const parsed = BackgroundReply.safeParse(await send(message))
  return parsed.success ? parsed.data : { ok: false, message: 'No answer from the background.' }
}
