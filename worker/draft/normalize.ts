import type { Timeline, TimelineSegment, TimelineTrack, TrackKind } from '../../shared/draft/timeline.ts'
import { RawDraft, SEGMENT_KEYS, TRACK_TYPE, type RawSegment, type RawTrack } from './draft-schema.ts'

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
    const kind = kindOf(track.tt)
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

function kindOf(tt: number | undefined): TrackKind {
  if (tt === TRACK_TYPE.video) return 'video'
  if (tt === TRACK_TYPE.audio) return 'audio'
  if (tt === TRACK_TYPE.text) return 'text'
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
    const times = { ...seg, ...rangeOf(seg) }
    const start = pickNumber(times, SEGMENT_KEYS.start) ?? segments.at(-1)?.endMs ?? 0
    const duration = pickNumber(times, SEGMENT_KEYS.duration)
    const nextRaw = raws[i + 1]
    const nextStart = nextRaw && pickNumber({ ...nextRaw, ...rangeOf(nextRaw) }, SEGMENT_KEYS.start)
    const end =
      (duration !== undefined ? start + duration : undefined) ??
      pickNumber(times, SEGMENT_KEYS.end) ??
      (nextStart !== undefined && nextStart > start ? nextStart : undefined) ??
      (draftMs !== undefined && draftMs > start ? draftMs : start)
    const volume = volumePercent(pickNumber(seg, SEGMENT_KEYS.volume))
    const source = pickString(seg, SEGMENT_KEYS.source)
    segments.push({
      label: labelOf(seg, kind, source),
      startMs: start,
      // Two huge finite numbers can add up to Infinity, which no schema accepts.
      endMs: Number.isFinite(end) ? Math.max(start, end) : start,
      ...(volume !== undefined && { volumePercent: volume }),
      ...(source && { sourceUrl: source }),
    })
  })
  const typeCode = Number.isSafeInteger(track.tt) ? (track.tt as number) : -1
  return { kind, typeCode, label: trackLabel(kind, nth), segments }
}

function labelOf(seg: RawSegment, kind: TrackKind, source: string | undefined): string {
  const text = pickString(seg, SEGMENT_KEYS.text)
  const name = pickString(seg, SEGMENT_KEYS.name)
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

function rangeOf(seg: RawSegment): Record<string, unknown> {
  for (const key of SEGMENT_KEYS.range) {
    const value = seg[key]
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>
    }
  }
  return {}
}

function pickNumber(rec: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = rec[key]
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n
  }
  return undefined
}

function pickString(rec: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = rec[key]
    if (typeof value === 'string' && value.trim() !== '') return value
  }
  return undefined
}

/** Assumption (see SEGMENT_KEYS): 0..1 is a fraction, more is already a percentage. */
function volumePercent(volume: number | undefined): number | undefined {
  if (volume === undefined) return undefined
  return volume <= 1 ? Math.round(volume * 10_000) / 100 : volume
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
