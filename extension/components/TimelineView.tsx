import type { Timeline, TimelineTrack } from '../../shared/api/index.ts'
import { t } from '../utils/i18n.ts'

/** Track icons as inline SVG paths (24x24): emoji fonts are missing on many Linux desktops. */
const ICON_PATHS: Record<TimelineTrack['kind'], string> = {
  video: 'M4 6h11a1 1 0 0 1 1 1v3l4-3v10l-4-3v3a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z',
  audio: 'M9 17V5l11-2v12M9 17a3 3 0 1 1-3-3 3 3 0 0 1 3 3zm11-2a3 3 0 1 1-3-3 3 3 0 0 1 3 3z',
  text: 'M5 6V4h14v2M12 4v16M9 20h6',
  other: 'M12 3l9 9-9 9-9-9z',
}

function TrackIcon({ kind }: { kind: TimelineTrack['kind'] }) {
  return (
    <svg class="tl-icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
      <path
        d={ICON_PATHS[kind]}
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linejoin="round"
      />
    </svg>
  )
}
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600]

/**
 * The narrowest ruler drawn (the popup's lane) and a time label's size on it: 10 px digits are
 * at most 6 px wide, plus the tick's 1 px line and 2 px padding. A wider side panel only adds room.
 */
const RULER_MIN_PX = 240
const labelShare = (label: string) => (label.length * 6 + 4) / RULER_MIN_PX

export interface RulerTick {
  at: number
  /** Where the label sits from its tick: to the right, or to the left at the end of the ruler. */
  align: 'start' | 'end'
}

/**
 * The ruler's labelled ticks: at most 5 steps, so labels are at least 20 % apart; a label that
 * would run past the end sits left of its tick, and one that would then touch the previous label
 * is left out. So labels never overlap on the narrowest ruler, whatever the duration.
 */
export function rulerTicks(totalMs: number): RulerTick[] {
  const step = (TICK_STEPS_S.find((s) => totalMs / (s * 1000) <= 5) ?? 600) * 1000
  const ticks: RulerTick[] = []
  let lastEnd = -Infinity
  for (let at = 0; at <= totalMs; at += step) {
    const p = at / totalMs
    const width = labelShare(formatSeconds(at))
    const align = p + width <= 1 ? 'start' : 'end'
    const from = align === 'start' ? p : p - width
    // A gap of a label's padding at least between two labels.
    if (from < lastEnd - 1e-9) continue
    ticks.push({ at, align })
    lastEnd = from + width + 4 / RULER_MIN_PX
  }
  return ticks
}

/** Seconds as "0:05" / "1:20". */
export function formatSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10
  const whole = Math.floor(s)
  const tenth = Math.round((s - whole) * 10)
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}${tenth ? `.${tenth}` : ''}`
}

function trackLabel(track: TimelineTrack): string {
  if (track.kind === 'video') return t('ui_track_video')
  if (track.kind === 'text') return t('ui_track_title')
  if (track.kind === 'audio')
    return /bgm|music/i.test(track.label) ? t('ui_track_bgm') : t('ui_track_audio')
  return track.label
}

/**
 * The draft drawn as a timeline: one row per track, each segment a bar placed and sized on the
 * total duration, with its times, the volume of audio and the text of titles; a ruler on top.
 */
export function TimelineView({
  timeline,
  playheadMs,
  onSeek,
}: {
  timeline: Timeline
  /** Where the preview player is; drawn as a line across the tracks. */
  playheadMs?: number
  /** Makes every segment a control: a click, Enter or Space plays the preview from its start. */
  onSeek?: (ms: number) => void
}) {
  const ends = timeline.tracks.flatMap((tr) => tr.segments.map((s) => s.endMs))
  const total = Math.max(timeline.durationMs, ...ends, 1)
  const ticks = rulerTicks(total)
  const pct = (ms: number) => `${((ms / total) * 100).toFixed(3)}%`
  return (
    <div class="tl" role="group" aria-label={t('ui_timeline_label', [formatSeconds(total)])}>
      <div class="tl-row tl-ruler-row" aria-hidden="true">
        <div class="tl-head" />
        <div class="tl-lane tl-ruler">
          {ticks.map(({ at, align }) => (
            <span
              key={at}
              class={align === 'end' ? 'tl-tick tl-tick-end' : 'tl-tick'}
              style={{ left: pct(at) }}
            >
              {formatSeconds(at)}
            </span>
          ))}
        </div>
      </div>
      {timeline.tracks.map((track, ti) => {
        const label = trackLabel(track)
        return (
          <div key={ti} class={`tl-row tl-track-${track.kind}`}>
            <div class="tl-head">
              <TrackIcon kind={track.kind} />
              <span class="tl-track-label">{label}</span>
            </div>
            <ul class="tl-lane" aria-label={label}>
              {playheadMs !== undefined && (
                <li
                  class="tl-playhead"
                  role="presentation"
                  aria-hidden="true"
                  title={t('ui_timeline_playhead', [formatSeconds(playheadMs)])}
                  style={{ left: pct(Math.min(playheadMs, total)) }}
                />
              )}
              {track.segments.map((seg, si) => {
                const times = `${formatSeconds(seg.startMs)}–${formatSeconds(seg.endMs)}`
                const text = track.kind === 'text' ? `“${seg.text ?? seg.label}”` : seg.label
                const here =
                  playheadMs !== undefined && playheadMs >= seg.startMs && playheadMs < seg.endMs
                const volume =
                  seg.volumePercent !== undefined ? `${Math.round(seg.volumePercent)}%` : undefined
                return (
                  <li
                    key={si}
                    class={`tl-bar tl-bar-${track.kind}${here ? ' tl-bar-current' : ''}`}
                    {...(onSeek && {
                      tabIndex: 0,
                      role: 'button',
                      'aria-current': here ? 'time' : undefined,
                      onClick: () => onSeek(seg.startMs),
                      onKeyDown: (e: KeyboardEvent) => {
                        if (e.key !== 'Enter' && e.key !== ' ') return
                        e.preventDefault()
                        onSeek(seg.startMs)
                      },
                    })}
                    style={{
                      left: pct(seg.startMs),
                      width: pct(Math.max(0, seg.endMs - seg.startMs)),
                    }}
                    title={[text, times, volume].filter(Boolean).join(' · ')}
                    aria-label={[
                      label,
                      text,
                      times,
                      volume && t('ui_timeline_volume', [volume]),
                      onSeek && t('ui_timeline_seek_hint'),
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  >
                    <span class="tl-bar-label">{text}</span>
                    {volume && <span class="tl-bar-volume">{volume}</span>}
                    <span class="tl-bar-times">{times}</span>
                  </li>
                )
              })}
            </ul>
          </div>
        )
      })}
    </div>
  )
}
