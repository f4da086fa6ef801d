import type { Prng } from './prng.ts'

/**
 * The simulator's short-key draft. Documented keys: `t` tracks, `tt` track type (0 video, 1 audio,
 * 7 text), `sg` segments, `d` duration ms, `m` metadata {title,width,height}. The segment keys are
 * our invention (NemoVideo documents none): `id`, `st` start ms, `d` duration ms, `nm` label,
 * `url` source, `kind`, `vol` volume 0-1, `txt` text.
 */
export interface Segment {
  id: string
  st: number
  d: number
  nm?: string
  url?: string
  kind?: 'video' | 'image' | 'audio'
  vol?: number
  txt?: string
}
export interface Track {
  id: string
  tt: number
  nm: string
  sg: Segment[]
}
export interface Draft {
  v: 1
  m: { title: string; width: number; height: number; fps: number }
  d: number
  t: Track[]
}

/** A media file as an upload answers it and the session keeps it. */
export interface MediaItem {
  filename: string
  file_type: 'video' | 'image' | 'audio'
  cdn_url: string
  duration: number
  width: number
  height: number
  fps: number
  hash: string
  size: number
}

export const TRACK_VIDEO = 0
export const TRACK_AUDIO = 1
export const TRACK_TEXT = 7

const STOCK_CLIPS = ['city timelapse', 'ocean waves', 'forest walk', 'night traffic', 'coffee pour']
const SONGS = ['Lo-fi', 'Upbeat Pop', 'Cinematic Strings', 'Acoustic Morning']
const TITLES = ['Urban Dreams', 'Made Simple', 'A Day Well Spent', 'Fresh Start']

let idCounter = 0
const nextId = (prefix: string) => `${prefix}_${(++idCounter).toString(36)}`

export function emptyDraft(width = 1920, height = 1080): Draft {
  return { v: 1, m: { title: '', width, height, fps: 30 }, d: 0, t: [] }
}

export function hasSegments(draft: Draft): boolean {
  return draft.t.some((track) => track.sg.length > 0)
}

function finish(draft: Draft): Draft {
  draft.d = Math.max(0, ...draft.t.flatMap((t) => t.sg.map((s) => s.st + s.d)))
  return draft
}

function track(draft: Draft, tt: number, nm: string): Track {
  let found = draft.t.find((t) => t.tt === tt)
  if (!found) {
    found = { id: nextId('trk'), tt, nm, sg: [] }
    draft.t.push(found)
  }
  return found
}

function visualSegment(media: MediaItem, st: number): Segment {
  const d = media.file_type === 'image' ? 3000 : Math.min(8000, Math.round(media.duration * 1000))
  return { id: nextId('seg'), st, d, nm: media.filename, url: media.cdn_url, kind: media.file_type }
}

/** Uploaded media join the draft: visuals at the end of the video track, audio as a track. */
export function applyMedia(draft: Draft, media: readonly MediaItem[]): Draft {
  for (const item of media) {
    if (item.file_type === 'audio') {
      const audio = track(draft, TRACK_AUDIO, 'Audio')
      const d = Math.round(item.duration * 1000)
      audio.sg.push({
        id: nextId('seg'),
        st: 0,
        d,
        nm: item.filename,
        url: item.cdn_url,
        kind: 'audio',
        vol: 1,
      })
    } else {
      const video = track(draft, TRACK_VIDEO, 'Video')
      const end = Math.max(0, ...video.sg.map((s) => s.st + s.d))
      video.sg.push(visualSegment(item, end))
    }
  }
  return finish(draft)
}

/** Stage one of a generation: the raw video from the session's media, or stock clips. */
export function generateVideo(draft: Draft, media: readonly MediaItem[], rng: Prng): Draft {
  draft.t = draft.t.filter((t) => t.tt !== TRACK_VIDEO)
  const video = track(draft, TRACK_VIDEO, 'Video')
  const visuals = media.filter((m) => m.file_type !== 'audio')
  let st = 0
  if (visuals.length > 0) {
    for (const item of visuals) {
      const seg = visualSegment(item, st)
      video.sg.push(seg)
      st += seg.d
    }
  } else {
    const count = rng.int(2, 3)
    for (let i = 0; i < count; i++) {
      const nm = rng.pick(STOCK_CLIPS)
      video.sg.push({
        id: nextId('seg'),
        st,
        d: 5000,
        nm,
        kind: 'video',
        url: `https://cdn.nemovideo.ai/stock/${nm.replace(/ /g, '-')}.mp4`,
      })
      st += 5000
    }
  }
  return finish(draft)
}

export function setMusic(draft: Draft, rng: Prng, song = rng.pick(SONGS)): string {
  draft.t = draft.t.filter((t) => !(t.tt === TRACK_AUDIO && t.nm === 'BGM'))
  const end = Math.max(draft.d, 10_000)
  draft.t.push({
    id: nextId('trk'),
    tt: TRACK_AUDIO,
    nm: 'BGM',
    sg: [
      {
        id: nextId('seg'),
        st: 0,
        d: end,
        nm: song,
        kind: 'audio',
        vol: 0.35,
        url: `https://cdn.nemovideo.ai/stock/music/${song.replace(/ /g, '-')}.mp3`,
      },
    ],
  })
  finish(draft)
  return song
}

export function removeMusic(draft: Draft): boolean {
  const before = draft.t.length
  draft.t = draft.t.filter((t) => t.tt !== TRACK_AUDIO)
  finish(draft)
  return draft.t.length !== before
}

export function setTitle(draft: Draft, rng: Prng, title = rng.pick(TITLES)): string {
  const text = track(draft, TRACK_TEXT, 'Title')
  const existing = text.sg[0]
  if (existing) existing.txt = title
  else text.sg.push({ id: nextId('seg'), st: 0, d: 3000, txt: title, nm: 'Title' })
  draft.m.title = title
  finish(draft)
  return title
}

/** Halves every visual segment (at least 1 s each) and clamps the other tracks to the new end. */
export function shorten(draft: Draft): { fromMs: number; toMs: number } {
  const fromMs = draft.d
  for (const t of draft.t.filter((t) => t.tt === TRACK_VIDEO)) {
    let st = 0
    for (const seg of t.sg) {
      seg.d = Math.max(1000, Math.round(seg.d / 2))
      seg.st = st
      st += seg.d
    }
  }
  const end = Math.max(
    1000,
    ...draft.t.filter((t) => t.tt === TRACK_VIDEO).flatMap((t) => t.sg.map((s) => s.st + s.d)),
  )
  for (const t of draft.t.filter((t) => t.tt !== TRACK_VIDEO)) {
    t.sg = t.sg.filter((s) => s.st < end)
    for (const seg of t.sg) seg.d = Math.min(seg.d, end - seg.st)
  }
  finish(draft)
  return { fromMs, toMs: draft.d }
}

export const ASPECTS = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
} as const
export type Aspect = keyof typeof ASPECTS

export function setAspect(draft: Draft, aspect: Aspect): void {
  draft.m.width = ASPECTS[aspect].width
  draft.m.height = ASPECTS[aspect].height
}

export function aspectOf(width: number, height: number): Aspect {
  if (width === height) return '1:1'
  return width > height ? '16:9' : '9:16'
}
