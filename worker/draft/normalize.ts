import { mediaFormatOf, mediaKindOf, type MediaKind } from '../../shared/media.ts'
import type {
  Timeline,
  TimelineSegment,
  TimelineTrack,
  TrackKind,
} from '../../shared/draft/timeline.ts'
import { fileTypeOf } from '../upstream/answers/upload.ts'
import { at, isRecord } from '../upstream/answers/pick.ts'
import {
  RawDraft,
  SEGMENT_KEYS,
  TRACK_TYPE,
  TRACK_TYPE_KEYS,
  type RawSegment,
  type RawTrack,
} from './draft-schema.ts'

/**
 * The readable timeline of a backend draft. Never throws: a draft given as a JSON string is
 * parsed, odd fields read as missing, unknown track types become kind `other`, and segments without
 * times are laid out one after the other. Every element of `sg` becomes a segment, so a track that
 * the backend would render is never dropped (see `isExportable`).
 */
export function normalizeDraft(raw: unknown): Timeline {
  const draft = RawDraft.safeParse(typeof raw === 'string' ? parseJson(raw) : raw)
  if (!draft.success) return { durationMs: 0, tracks: [] }
  const { t = [], d, m } = draft.data
  const declaredMs = nonNegative(d)
  const seen = new Map<TrackKind, number>()
  const tracks = t.map((track) => {
    const kind = kindOf(track)
    const nth = (seen.get(kind) ?? 0) + 1
    seen.set(kind, nth)
    return normalizeTrack(track, kind, nth, declaredMs)
  })
  const lastEnd = Math.max(0, ...tracks.flatMap((tr) => tr.segments.map((s) => s.endMs)))
  const title = m?.title?.trim()
  return {
    ...(title && { title }),
    ...dimension('width', m?.width),
    ...dimension('height', m?.height),
    durationMs: declaredMs ?? lastEnd,
    tracks,
  }
}

/** A draft can be rendered once some track has a segment (NemoVideo's export precondition). */
export function isExportable(timeline: Timeline): boolean {
  return timeline.tracks.some((track) => track.segments.length > 0)
}

/** The documented `tt` code, else a type word under any of TRACK_TYPE_KEYS ("video", "bgm"…). */
function kindOf(track: RawTrack): TrackKind {
  const tt = typeof track.tt === 'string' && /^\d+$/.test(track.tt) ? Number(track.tt) : track.tt
  if (tt === TRACK_TYPE.video) return 'video'
  if (tt === TRACK_TYPE.audio) return 'audio'
  if (tt === TRACK_TYPE.text) return 'text'
  for (const key of TRACK_TYPE_KEYS) {
    const word = typeof track[key] === 'string' ? (track[key] as string).toLowerCase() : ''
    if (/^(?:video|main|visual|image|photo)s?$/.test(word)) return 'video'
    if (/^(?:audio|music|bgm|sound|voice|sfx)s?$/.test(word)) return 'audio'
    if (/^(?:text|title|caption|subtitle|sticker_text)s?$/.test(word)) return 'text'
  }
  return 'other'
}

/** The first audio track is the background music; further ones are plain audio (voice, effects). */
function trackLabel(kind: TrackKind, nth: number): string {
  if (kind === 'video') return 'Video'
  if (kind === 'audio') return nth === 1 ? 'BGM' : 'Audio'
  if (kind === 'text') return nth === 1 ? 'Title' : 'Text'
  return 'Other'
}

function normalizeTrack(
  track: RawTrack,
  kind: TrackKind,
  nth: number,
  draftMs?: number,
): TimelineTrack {
  const raws = track.sg ?? []
  const segments: TimelineSegment[] = []
  raws.forEach((seg, i) => {
    const where = [seg, metaOf(seg)]
    const times = [
      { ...seg, ...rangeOf(seg) },
      { ...metaOf(seg), ...rangeOf(metaOf(seg)) },
    ]
    const start = pickNumber(times, SEGMENT_KEYS.start) ?? segments.at(-1)?.endMs ?? 0
    const duration = pickNumber(times, SEGMENT_KEYS.duration)
    const nextRaw = raws[i + 1]
    const nextStart =
      nextRaw && pickNumber([{ ...nextRaw, ...rangeOf(nextRaw) }], SEGMENT_KEYS.start)
    const end =
      (duration !== undefined ? start + duration : undefined) ??
      pickNumber(times, SEGMENT_KEYS.end) ??
      (nextStart !== undefined && nextStart > start ? nextStart : undefined) ??
      (draftMs !== undefined && draftMs > start ? draftMs : start)
    const volume = pickVolume(where)
    const source = pickString(where, SEGMENT_KEYS.source)
    const text = pickString(where, SEGMENT_KEYS.text)
    const mediaKind = mediaKindFor(where, kind, source)
    const sourceStart = pickNumber(where, SEGMENT_KEYS.sourceStart)
    const fadeIn = pickNumber(where, SEGMENT_KEYS.fadeIn)
    const fadeOut = pickNumber(where, SEGMENT_KEYS.fadeOut)
    segments.push({
      label: labelOf(where, kind, source),
      startMs: start,
      // Two huge finite numbers can add up to Infinity, which no schema accepts.
      endMs: Number.isFinite(end) ? Math.max(start, end) : start,
      ...(volume !== undefined && { volumePercent: volume }),
      ...(source && { sourceUrl: source }),
      ...(text && (kind === 'text' || !mediaKind) && { text: text.trim() }),
      ...(mediaKind && { mediaKind }),
      ...(sourceStart !== undefined && mediaKind !== 'image' && { sourceStartMs: sourceStart }),
      ...(fadeIn !== undefined && { fadeInMs: fadeIn }),
      ...(fadeOut !== undefined && { fadeOutMs: fadeOut }),
    })
  })
  const typeCode = Number.isSafeInteger(track.tt) ? (track.tt as number) : -1
  return { kind, typeCode, label: trackLabel(kind, nth), segments }
}

function labelOf(where: Rec[], kind: TrackKind, source: string | undefined): string {
  const text = pickString(where, SEGMENT_KEYS.text)
  const name = pickString(where, SEGMENT_KEYS.name)
  const found = kind === 'text' ? (text ?? name) : (name ?? text)
  return (found ?? (source ? fileLabel(source) : '')).trim()
}

/** "https://cdn/x/city_timelapse.mp4?sig=1" -> "city timelapse". */
function fileLabel(source: string): string {
  const file = source.split(/[?#]/, 1)[0]?.split('/').pop() ?? ''
  let name = file
  try {
    name = decodeURIComponent(file)
  } catch {
    // a stray % in a file name: keep it as it is
  }
  return name.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[_-]+/g, ' ')
}

type Rec = Record<string, unknown>

/** A segment's metadata object (`m`, `meta` or `metadata`), or an empty one. */
function metaOf(seg: RawSegment): Rec {
  for (const key of SEGMENT_KEYS.meta) {
    const value = seg[key]
    if (isRecord(value)) return value
  }
  return {}
}

/**
 * What the preview must draw: an explicit kind wins; an audio track plays audio whatever the
 * file; otherwise the source's file extension; a video track's segment is video by default.
 */
function mediaKindFor(
  where: Rec[],
  kind: TrackKind,
  source: string | undefined,
): MediaKind | undefined {
  const explicit = pickFirst(where, SEGMENT_KEYS.kind, fileTypeOf)
  if (explicit) return explicit
  if (kind === 'text') return undefined
  if (kind === 'audio') return 'audio'
  const format = source ? mediaFormatOf(source.split(/[?#]/, 1)[0] ?? '') : undefined
  if (format) return mediaKindOf(format)
  return kind === 'video' ? 'video' : undefined
}

function rangeOf(seg: RawSegment): Record<string, unknown> {
  for (const key of SEGMENT_KEYS.range) {
    const value = seg[key]
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>
    }
  }
  return {}
}

/** The first value `read` accepts: each record in order (the segment, then its `m`), each key in order. */
function pickFirst<T>(
  where: readonly Rec[],
  keys: readonly string[],
  read: (v: unknown) => T | undefined,
): T | undefined {
  for (const rec of where) {
    for (const key of keys) {
      const found = read(key.includes('.') ? at(rec, key) : rec[key])
      if (found !== undefined) return found
    }
  }
  return undefined
}

const nonNegativeNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined
}

function pickNumber(where: readonly Rec[], keys: readonly string[]): number | undefined {
  return pickFirst(where, keys, nonNegativeNumber)
}

function pickString(where: readonly Rec[], keys: readonly string[]): string | undefined {
  return pickFirst(where, keys, (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined))
}

/** Assumption (see SEGMENT_KEYS): 0..1 is a fraction, more is already a percentage; "35%" is 35. */
function pickVolume(where: readonly Rec[]): number | undefined {
  return pickFirst(where, SEGMENT_KEYS.volume, (v) => {
    if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(v))
      return Number(v.replace('%', ''))
    const n = nonNegativeNumber(v)
    if (n === undefined) return undefined
    return n <= 1 ? Math.round(n * 10_000) / 100 : n
  })
}

function nonNegative(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined
}

const MAX_FRAME_SIDE = 16_384

function dimension(key: 'width' | 'height', n: number | undefined): { [k in typeof key]?: number } {
  // Frame sizes outside any real video are noise (and 2**53 fails an int schema).
  return n !== undefined && n >= 1 && n <= MAX_FRAME_SIDE ? { [key]: Math.round(n) } : {}
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
