import { mediaFormatOf, mediaKindOf } from '../../shared/media.ts'
import type { Timeline, TimelineSegment, TimelineTrack } from '../../shared/draft/timeline.ts'

/** The cross-fade between two clips that follow each other, when the draft names none. */
export const DEFAULT_CROSSFADE_MS = 300
/** Titles come and go softly unless the draft says otherwise. */
export const DEFAULT_TITLE_FADE_MS = 200

export type VisualKind = 'image' | 'video' | 'none'

/** One visual clip as the compositor draws it: its layer, its times, its source. */
export interface VisualClip {
  key: string
  layer: number
  index: number
  kind: VisualKind
  url?: string
  label: string
  startMs: number
  endMs: number
  sourceStartMs: number
  fadeInMs: number
  fadeOutMs: number
  /** The clip just before on the same layer when it ends where this one starts (cross-fade). */
  previous?: VisualClip
}

export interface TitleClip {
  key: string
  text: string
  startMs: number
  endMs: number
  fadeInMs: number
  fadeOutMs: number
  /** Titles on a "Title" track sit in the middle; other text (subtitles) at the bottom. */
  place: 'middle' | 'bottom'
}

export interface SoundClip {
  key: string
  url: string
  startMs: number
  endMs: number
  sourceStartMs: number
  volume: number
  fadeInMs: number
  fadeOutMs: number
  /** Music loops to fill its segment; a clip's own sound plays once. */
  loop: boolean
}

export interface TimelinePlan {
  durationMs: number
  visuals: VisualClip[]
  titles: TitleClip[]
  sounds: SoundClip[]
}

/** What a segment's source is: the draft's word, else its file type, else its track's kind. */
export function mediaKindOfSegment(
  seg: TimelineSegment,
  track: Pick<TimelineTrack, 'kind'>,
): 'image' | 'video' | 'audio' | undefined {
  if (seg.mediaKind) return seg.mediaKind
  if (!seg.sourceUrl) return undefined
  const format = mediaFormatOf(seg.sourceUrl)
  if (format) return mediaKindOf(format)
  if (track.kind === 'audio') return 'audio'
  // Unknown extension (or none) on a picture track: most web media is images; a video behind
  // such a URL shows a clear "unsupported" placeholder rather than a crash.
  return 'image'
}

const isHttpOrBlob = (url: string) => /^(https?:|blob:|data:)/i.test(url)

/**
 * Reads a timeline once into what the compositor and the mixer need: picture layers in track
 * order (the first track at the bottom), titles, and every sound with its volume and fades.
 */
export function planTimeline(timeline: Timeline): TimelinePlan {
  const visuals: VisualClip[] = []
  const titles: TitleClip[] = []
  const sounds: SoundClip[] = []
  let end = timeline.durationMs
  timeline.tracks.forEach((track, ti) => {
    let prev: VisualClip | undefined
    const segs = [...track.segments].sort((a, b) => a.startMs - b.startMs)
    segs.forEach((seg, si) => {
      if (seg.endMs <= seg.startMs) return
      end = Math.max(end, seg.endMs)
      const key = `${ti}:${si}`
      const url = seg.sourceUrl && isHttpOrBlob(seg.sourceUrl) ? seg.sourceUrl : undefined
      if (track.kind === 'text') {
        const text = (seg.text ?? seg.label).trim()
        if (!text) return
        titles.push({
          key,
          text,
          startMs: seg.startMs,
          endMs: seg.endMs,
          fadeInMs: seg.fadeInMs ?? DEFAULT_TITLE_FADE_MS,
          fadeOutMs: seg.fadeOutMs ?? DEFAULT_TITLE_FADE_MS,
          place: /title|标题/i.test(track.label) ? 'middle' : 'bottom',
        })
        return
      }
      const kind = mediaKindOfSegment(seg, track)
      const volume = (seg.volumePercent ?? 100) / 100
      if (kind === 'audio' || (track.kind === 'audio' && !kind)) {
        if (url)
          sounds.push({
            key,
            url,
            startMs: seg.startMs,
            endMs: seg.endMs,
            sourceStartMs: seg.sourceStartMs ?? 0,
            volume,
            fadeInMs: seg.fadeInMs ?? 0,
            fadeOutMs: seg.fadeOutMs ?? (/bgm|music|音乐/i.test(track.label) ? 1000 : 50),
            loop: /bgm|music|音乐/i.test(track.label),
          })
        return
      }
      if (track.kind === 'audio') return
      const adjacent = prev && seg.startMs - prev.endMs <= 50 ? prev : undefined
      const clip: VisualClip = {
        key,
        layer: ti,
        index: si,
        kind: url ? (kind ?? 'image') : 'none',
        ...(url && { url }),
        label: seg.label,
        startMs: seg.startMs,
        endMs: seg.endMs,
        sourceStartMs: seg.sourceStartMs ?? 0,
        fadeInMs: seg.fadeInMs ?? (adjacent ? DEFAULT_CROSSFADE_MS : 0),
        fadeOutMs: seg.fadeOutMs ?? 0,
        ...(adjacent && { previous: adjacent }),
      }
      visuals.push(clip)
      prev = clip
      if (clip.kind === 'video' && url && volume > 0)
        sounds.push({
          key,
          url,
          startMs: seg.startMs,
          endMs: seg.endMs,
          sourceStartMs: clip.sourceStartMs,
          volume,
          fadeInMs: seg.fadeInMs ?? 30,
          fadeOutMs: seg.fadeOutMs ?? 30,
          loop: false,
        })
    })
  })
  return { durationMs: end, visuals, titles, sounds }
}

/** 0..1: how visible a clip is at `t` given its fades (1 in the middle, 0 outside). */
export function fadeAlpha(
  clip: { startMs: number; endMs: number; fadeInMs: number; fadeOutMs: number },
  t: number,
): number {
  if (t < clip.startMs || t >= clip.endMs) return 0
  const span = clip.endMs - clip.startMs
  const fin = Math.min(clip.fadeInMs, span / 2)
  const fout = Math.min(clip.fadeOutMs, span / 2)
  let a = 1
  if (fin > 0) a = Math.min(a, (t - clip.startMs) / fin)
  if (fout > 0) a = Math.min(a, (clip.endMs - t) / fout)
  return Math.max(0, Math.min(1, a))
}
