import { browser } from 'wxt/browser'
import { z } from 'zod/mini'
import { ExportPreset, SessionId, Timeline } from '../../shared/api/index.ts'

/**
 * Messages of the export on this device, one schema each, parsed on receipt. Three parties: the
 * app (popup, side panel) asks the background; the background drives the renderer (Chrome: the
 * offscreen document, which has `runtime` only, so it never touches storage, notifications or
 * downloads; Firefox: the background page itself); the renderer reports back.
 */

export const AudioChoice = z.enum(['auto', 'mp3'])
export type AudioChoice = z.infer<typeof AudioChoice>

/** App -> background. */
export const RenderHereRequest = z.object({
  type: z.literal('render-here'),
  sessionId: SessionId,
  presets: z.array(ExportPreset).check(z.minLength(1), z.maxLength(3)),
  timeline: Timeline,
  title: z.optional(z.string()),
})
export const RenderCancelRequest = z.object({
  type: z.literal('render-here-cancel'),
  jobId: z.string(),
})
export const RenderDownloadRequest = z.object({
  type: z.literal('render-here-download'),
  jobId: z.string(),
})

/** What the renderer needs to fetch the draft's media through the worker, as the app does. */
export const MediaAccess = z.object({
  workerUrl: z.string(),
  /** The installation key (the extension's own credential, never a backend token). */
  key: z.optional(z.string()),
  sessionId: SessionId,
})
export type MediaAccess = z.infer<typeof MediaAccess>

/** Background -> renderer. */
export const RendererCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('renderer-start'),
    jobId: z.string(),
    width: z.number().check(z.int(), z.positive()),
    height: z.number().check(z.int(), z.positive()),
    fps: z.number().check(z.int(), z.positive()),
    timeline: Timeline,
    audio: AudioChoice,
    access: MediaAccess,
  }),
  z.object({ type: z.literal('renderer-cancel'), jobId: z.string() }),
  /** A blob: URL of a finished file, made where URL.createObjectURL exists. */
  z.object({ type: z.literal('renderer-file-url'), jobId: z.string() }),
  z.object({ type: z.literal('renderer-revoke'), url: z.string() }),
  z.object({ type: z.literal('renderer-remove-file'), jobId: z.string() }),
  /** One frame as the export draws it, as a PNG data: URL (a poster; the tests' reference). */
  z.object({
    type: z.literal('renderer-still'),
    width: z.number().check(z.int(), z.positive()),
    height: z.number().check(z.int(), z.positive()),
    timeline: Timeline,
    timeMs: z.number().check(z.nonnegative()),
    access: MediaAccess,
  }),
  /**
   * The encoder alone: the same frame count and size from already decoded pictures drawn to
   * cover (no compositor, no sound, no file). How fast this device can go; the bench's baseline.
   */
  z.object({
    type: z.literal('renderer-bare-encode'),
    width: z.number().check(z.int(), z.positive()),
    height: z.number().check(z.int(), z.positive()),
    fps: z.number().check(z.int(), z.positive()),
    durationMs: z.number().check(z.positive()),
    imageUrls: z.array(z.string()).check(z.minLength(1)),
  }),
  /** Which renders are running: the background fails the others (no stuck job). */
  z.object({ type: z.literal('renderer-status') }),
])
export type RendererCommand = z.infer<typeof RendererCommand>

/**
 * App -> background -> renderer: a question for the renderer (a still, the bare encoder, whether a
 * file is kept), which the background makes first when it is closed. Never a start: renders go
 * through `render-here` and the bookkeeping.
 */
export const RendererQuery = z.object({
  type: z.literal('render-here-query'),
  command: RendererCommand,
})

/** What a `render-here-query` may ask (the background refuses the rest). */
export const QUERY_TYPES: ReadonlySet<RendererCommand['type']> = new Set([
  'renderer-file-url',
  'renderer-still',
  'renderer-bare-encode',
  'renderer-status',
])

export const RenderAppMessage = z.discriminatedUnion('type', [
  RenderHereRequest,
  RenderCancelRequest,
  RenderDownloadRequest,
  RendererQuery,
])
export type RenderAppMessage = z.infer<typeof RenderAppMessage>
export type RendererStart = Extract<RendererCommand, { type: 'renderer-start' }>

export const RendererReply = z.object({
  ok: z.boolean(),
  url: z.optional(z.string()),
  running: z.optional(z.array(z.string())),
  /** How long a bare encode took. */
  ms: z.optional(z.number()),
  message: z.optional(z.string()),
})
export type RendererReply = z.infer<typeof RendererReply>

/** The background's answer to the app (a query's answer is the renderer's). */
export const RenderAppReply = z.union([
  z.object({ ok: z.literal(true), jobIds: z.optional(z.array(z.string())) }),
  z.object({ ok: z.literal(false), message: z.string() }),
  RendererReply,
])
export type RenderAppReply = z.infer<typeof RenderAppReply>

/** Renderer -> background. */
export const RendererEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('renderer-progress'), jobId: z.string(), percent: z.number() }),
  z.object({
    type: z.literal('renderer-done'),
    jobId: z.string(),
    size: z.number().check(z.int(), z.nonnegative()),
    audioCodec: z.optional(z.string()),
  }),
  z.object({
    type: z.literal('renderer-failed'),
    jobId: z.string(),
    message: z.string(),
    cancelled: z.boolean(),
  }),
])
export type RendererEvent = z.infer<typeof RendererEvent>

/** Sends an app request to the background and parses its reply. */
export async function sendRenderRequest(
  msg: RenderAppMessage,
  send: (m: unknown) => Promise<unknown> = (m) => browser.runtime.sendMessage(m),
): Promise<RenderAppReply> {
  const parsed = RenderAppReply.safeParse(await send(msg))
  return parsed.success ? parsed.data : { ok: false, message: 'No answer from the background.' }
}
