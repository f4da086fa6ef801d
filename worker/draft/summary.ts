import type { Lang } from '../../shared/i18n/index.ts'
import type { Timeline, TimelineSegment, TimelineTrack } from '../../shared/draft/timeline.ts'

/** Segments listed per track before the rest is counted ("… +4 more"), to keep a chat line short. */
const MAX_SEGMENTS_SHOWN = 5

const TRACK_LABEL_ZH: Readonly<Record<string, string>> = {
  Video: '视频',
  BGM: '背景音乐',
  Audio: '音频',
  Title: '标题',
  Text: '文字',
  Other: '其他',
}

/**
 * One line describing a timeline, in the seed's style:
 * `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%)
 * 3. Title: "Urban Dreams" (0-3s)` (one line, wrapped here).
 * Several segments on a track are joined with ", "; text is quoted; audio shows its volume (other
 * tracks only when it is not 100%); times are seconds with at most one decimal.
 */
export function summarizeTimeline(timeline: Timeline, lang: Lang = 'en'): string {
  const n = timeline.tracks.length
  const zh = lang === 'zh'
  const head = zh ? `时间线（${n} 条轨道）：` : `Timeline (${n} ${n === 1 ? 'track' : 'tracks'}):`
  if (n === 0) return zh ? `${head}空` : `${head} empty`
  const parts = timeline.tracks.map((track, i) => `${i + 1}. ${trackLine(track, zh)}`)
  return zh ? head + parts.join(' ') : `${head} ${parts.join(' ')}`
}

function trackLine(track: TimelineTrack, zh: boolean): string {
  const label = zh ? (TRACK_LABEL_ZH[track.label] ?? track.label) : track.label
  const sep = zh ? '：' : ': '
  if (track.segments.length === 0) return `${label}${sep}${zh ? '（空）' : '(empty)'}`
  const shown = track.segments.slice(0, MAX_SEGMENTS_SHOWN).map((s) => segmentText(track, s, zh))
  const rest = track.segments.length - shown.length
  if (rest > 0) shown.push(zh ? `……另有 ${rest} 段` : `… +${rest} more`)
  return `${label}${sep}${shown.join(zh ? '，' : ', ')}`
}

function segmentText(track: TrackAndKind, seg: TimelineSegment, zh: boolean): string {
  const untitled = zh ? '未命名' : 'untitled'
  const name = track.kind === 'text' && seg.label ? quote(seg.label, zh) : seg.label || untitled
  const details = [`${seconds(seg.startMs)}-${seconds(seg.endMs)}${zh ? ' 秒' : 's'}`]
  const volume = seg.volumePercent
  if (volume !== undefined && (track.kind === 'audio' || Math.round(volume) !== 100)) {
    details.push(`${Math.round(volume)}%`)
  }
  return zh ? `${name}（${details.join('，')}）` : `${name} (${details.join(', ')})`
}

type TrackAndKind = Pick<TimelineTrack, 'kind'>

function quote(text: string, zh: boolean): string {
  return zh ? `“${text}”` : `"${text}"`
}

/** 10000 -> "10", 2500 -> "2.5", 1234 -> "1.2". */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}
