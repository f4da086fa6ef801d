import type { Timeline } from '../../shared/draft/timeline.ts'
import { fadeAlpha, planTimeline, type VisualClip } from './plan.ts'
import { drawTitle } from './titles.ts'
import type {
  Compositor,
  CompositorOptions,
  DrawContext,
  Drawable,
  FrameRequest,
  FrameSize,
  MediaFailure,
  MediaLibrary,
} from './types.ts'

/** How far images zoom over a clip: gentle, so a still reads as footage without making anyone dizzy. */
const ZOOM = 0.08
/** Images needed within this window ahead start loading early, so playback does not wait. */
const LOOKAHEAD_MS = 3000
const BACKGROUND = '#000000'
const PLACEHOLDER = '#26262b'

/**
 * Draws any frame of a timeline at any size: pictures cover the frame (images with a slow pan and
 * zoom, videos at their source time), clips cross-fade, titles on top. Pure apart from the
 * context it draws on; media comes from `media`, so the player and the export draw alike.
 */
export function createCompositor(
  timeline: Timeline,
  media: MediaLibrary,
  size: FrameSize,
  opts: CompositorOptions = {},
): Compositor {
  const plan = planTimeline(timeline)
  const visuals = plan.visuals
  /** What each visual clip draws right now (a video clip's element shows its prepared frame). */
  const ready = new Map<string, Drawable>()
  let playingVideos = new Set<string>()

  const activeAt = (t: number): VisualClip[] => visuals.filter((v) => t >= v.startMs && t < v.endMs)

  /** The clips to draw at `t`, bottom first: each active clip, its fading-out predecessor under it. */
  function layersAt(t: number): Array<{ clip: VisualClip; at: number; alpha: number }> {
    const out: Array<{ clip: VisualClip; at: number; alpha: number }> = []
    for (const clip of activeAt(t)) {
      const alpha = fadeAlpha(clip, t)
      if (alpha < 1 && clip.previous && t - clip.startMs < clip.fadeInMs)
        out.push({ clip: clip.previous, at: clip.previous.endMs - 1, alpha: 1 })
      out.push({ clip, at: t, alpha })
    }
    return out
  }

  async function load(clip: VisualClip, at: number, req: FrameRequest): Promise<void> {
    if (!clip.url || clip.kind === 'none') return
    const d =
      clip.kind === 'video'
        ? await media.videoFrame(clip.url, clip.sourceStartMs + (at - clip.startMs), req)
        : await media.image(clip.url)
    if (d) ready.set(clip.key, d)
    else ready.delete(clip.key)
  }

  return {
    size,
    durationMs: plan.durationMs,
    async prepare(timeMs, req = {}) {
      const layers = layersAt(timeMs)
      const videosNow = new Set(
        layers.filter((l) => l.clip.kind === 'video').map((l) => l.clip.url!),
      )
      for (const url of playingVideos) if (!videosNow.has(url)) media.pause(url)
      playingVideos = req.playing ? videosNow : new Set()
      for (const v of visuals)
        if (v.kind === 'image' && v.url && v.startMs > timeMs && v.startMs - timeMs < LOOKAHEAD_MS)
          void load(v, v.startMs, {})
      // A cross-fade's outgoing video holds its last frame; only the incoming one plays.
      await Promise.all(
        layers.map((l) => load(l.clip, l.at, l.at === timeMs ? req : { exact: req.exact })),
      )
    },
    draw(ctx, timeMs) {
      ctx.save()
      ctx.globalAlpha = 1
      ctx.fillStyle = BACKGROUND
      ctx.fillRect(0, 0, size.width, size.height)
      for (const { clip, at, alpha } of layersAt(timeMs)) drawClip(ctx, clip, at, alpha)
      for (const title of plan.titles) {
        const a = fadeAlpha(title, timeMs)
        if (a > 0) drawTitle(ctx, size, title.text, title.place, a)
      }
      ctx.restore()
    },
  }

  function drawClip(ctx: DrawContext, clip: VisualClip, at: number, alpha: number): void {
    if (alpha <= 0) return
    ctx.save()
    ctx.globalAlpha = alpha
    const d = ready.get(clip.key)
    const failure = clip.url ? media.failure(clip.url) : undefined
    if (d && !failure) {
      const progress = clip.kind === 'image' ? (at - clip.startMs) / (clip.endMs - clip.startMs) : 0
      const motion = clip.kind === 'image' ? kenBurns(clip.index, progress) : STILL
      drawCover(ctx, size, d, motion.zoom, motion.pan)
    } else if (clip.kind !== 'none') {
      drawPlaceholder(ctx, size, failure, clip.label, opts.describeFailure)
    }
    ctx.restore()
  }
}

const STILL = { zoom: 1, pan: { x: 0, y: 0 } }

/**
 * An image clip's slow zoom and drift at `progress` (0-1) through it: the drift's direction
 * alternates clip to clip (`index`), in fractions of the spare width/height. The export's bench
 * draws its bare loop with it too, so both encode the same frames.
 */
export function kenBurns(
  index: number,
  progress: number,
): { zoom: number; pan: { x: number; y: number } } {
  const dir = index % 2 === 0 ? 1 : -1
  return {
    zoom: 1 + ZOOM * progress,
    pan: { x: dir * (progress - 0.5), y: (index % 3 === 1 ? -1 : 1) * (progress - 0.5) * 0.5 },
  }
}

/** Fills the frame with `d` (cover), zoomed by `zoom`, shifted by `pan` within the overflow. */
export function drawCover(
  ctx: DrawContext,
  size: FrameSize,
  d: Drawable,
  zoom: number,
  pan: { x: number; y: number },
): void {
  if (!d.width || !d.height) return
  const scale = Math.max(size.width / d.width, size.height / d.height) * zoom
  const w = d.width * scale
  const h = d.height * scale
  const x = (size.width - w) / 2 + pan.x * (w - size.width)
  const y = (size.height - h) / 2 + pan.y * (h - size.height)
  ctx.drawImage(d.source, x, y, w, h)
}

/** A clip that cannot be shown: a calm grey card with a broken-picture mark and the reason. */
function drawPlaceholder(
  ctx: DrawContext,
  size: FrameSize,
  failure: MediaFailure | undefined,
  label: string,
  describe: CompositorOptions['describeFailure'],
): void {
  ctx.fillStyle = PLACEHOLDER
  ctx.fillRect(0, 0, size.width, size.height)
  if (!failure) return
  const short = Math.min(size.width, size.height)
  const cx = size.width / 2
  const cy = size.height / 2 - short * 0.08
  const r = short * 0.07
  ctx.strokeStyle = '#8d8d96'
  ctx.lineWidth = Math.max(1, short * 0.008)
  ctx.strokeRect(cx - r, cy - r * 0.75, r * 2, r * 1.5)
  ctx.beginPath()
  ctx.moveTo(cx - r, cy + r * 0.75)
  ctx.lineTo(cx + r, cy - r * 0.75)
  ctx.stroke()
  const words = describe ? describe(failure) : `Media unavailable (${failure.reason})`
  ctx.fillStyle = '#d6d6dc'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'top'
  ctx.font = `600 ${Math.max(9, Math.round(short * 0.045))}px system-ui, sans-serif`
  ctx.fillText(words, cx, cy + r * 1.2, size.width * 0.9)
  if (label) {
    ctx.font = `400 ${Math.max(8, Math.round(short * 0.035))}px system-ui, sans-serif`
    ctx.fillStyle = '#a6a6ae'
    ctx.fillText(label, cx, cy + r * 1.2 + short * 0.065, size.width * 0.9)
  }
}
