import { useSignal, useSignalEffect } from '@preact/signals'
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'
import { PRESET_SIZES, type ExportPreset, type Timeline } from '../../shared/api/index.ts'
import type { PlayerEngine } from '../preview/player-engine.ts'
import type { MediaFailure, MediaFailureReason } from '../preview/types.ts'
import { t, type MessageKey } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { releaseStart, started } from '../app/start-gate.ts'
import { formatSeconds } from './TimelineView.tsx'

/** The words (en + zh in `_locales`) for each reason a media file is missing. */
export const REASON_KEYS: Record<MediaFailureReason, MessageKey> = {
  not_found: 'ui_media_not_found',
  forbidden: 'ui_media_forbidden',
  too_large: 'ui_media_too_large',
  timeout: 'ui_media_timeout',
  unsupported: 'ui_media_unsupported',
  network: 'ui_media_network',
}
/** The player's box in CSS px: as wide as the panel, never taller than this. */
const MAX_CSS_HEIGHT = 220

/** The name of a media URL as a person would know it (its file name). */
function nameOf(url: string, timeline: Timeline | undefined): string {
  const seg = timeline?.tracks.flatMap((tr) => tr.segments).find((s) => s.sourceUrl === url)
  if (seg?.label) return seg.label
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() || url)
  } catch {
    return url
  }
}

/** The frame's box for a preset in the available width, and its pixel size on this screen. */
function boxFor(preset: ExportPreset, availableWidth: number) {
  const { width: w, height: h } = PRESET_SIZES[preset]
  const cssWidth = Math.min(availableWidth, (MAX_CSS_HEIGHT * w) / h)
  const cssHeight = (cssWidth * h) / w
  const dpr = Math.min(globalThis.devicePixelRatio || 1, 2)
  return {
    cssWidth: Math.round(cssWidth),
    cssHeight: Math.round(cssHeight),
    size: { width: Math.round(cssWidth * dpr), height: Math.round(cssHeight * dpr) },
  }
}

/**
 * The draft, playing: a canvas drawn by the compositor (loaded after first paint), play/pause, a
 * seek slider, the time, and the reason for every file it could not show. The framing follows the
 * export panel's first chosen preset.
 */
export function PreviewPlayer() {
  const { timeline, preview, exports, projects } = useApp()
  const state = timeline.state.value
  const sessionId = projects.current.value?.sessionId
  const preset = exports.selected.value[0] ?? '16:9'
  const wrapRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const playRef = useRef<HTMLButtonElement>(null)
  const engine = useRef<PlayerEngine | null>(null)
  const ready = useSignal(false)
  const width = useSignal(320)
  const box = boxFor(preset, width.value)
  const duration = Math.max(
    state?.timeline.durationMs ?? 0,
    ...(state?.timeline.tracks.flatMap((tr) => tr.segments.map((s) => s.endMs)) ?? [0]),
  )

  const visible = !!state && duration > 0
  // The draft and framing to show, for the engine as soon as it exists (not a render later).
  const wanted = useRef({ timeline: state?.timeline, preset })
  wanted.current = { timeline: state?.timeline, preset }
  const shown = useRef<{ timeline: Timeline; width: number; height: number } | null>(null)
  /** Loads the wanted draft at the player's size into the engine, unless it shows that already. */
  const show = () => {
    const { timeline: draft, preset: framing } = wanted.current
    const { size } = boxFor(framing, width.peek())
    const last = shown.current
    if (!engine.current || !draft) return
    if (last?.timeline === draft && last.width === size.width && last.height === size.height) return
    shown.current = { timeline: draft, ...size }
    engine.current.load(draft, size)
  }

  // The engine's chunk starts loading with the project, in parallel with the draft's first read.
  useEffect(() => {
    if (sessionId) void import('../preview/player-engine.ts').catch(() => undefined)
  }, [sessionId])

  // One engine (and media cache) per project, loaded lazily so the popup's first paint stays light.
  // A layout effect: the engine starts as the canvas appears, not a frame later.
  useLayoutEffect(() => {
    if (!sessionId || !visible || !canvasRef.current) return
    const canvas = canvasRef.current
    let alive = true
    let made: PlayerEngine | null = null
    const describe = (f: MediaFailure) => t('ui_preview_unavailable', [t(REASON_KEYS[f.reason])])
    void import('../preview/player-engine.ts')
      .then(({ createPlayerEngine, withMediaCache }) => {
        if (!alive) return
        made = createPlayerEngine({
          canvas,
          media: withMediaCache({
            localBlob: (url) => preview.deps.localBlob(url),
            remote: (url) => preview.deps.fetchMedia(sessionId, url),
          }),
          describeFailure: describe,
          onFailures: (failures) => preview.report({ failures }),
          onTime: (currentMs) => preview.report({ currentMs }),
          onEnded: () => preview.report({ playing: false, currentMs: 0 }),
          onFirstFrame: () => {
            canvas.setAttribute('data-first-frame', String(performance.now()))
            releaseStart('frame')
          },
          sound: { muted: preview.muted.peek(), volume: preview.volume.peek() },
        })
        engine.current = made
        show()
        ready.value = true
        // Once the popup's start is over, so that play starts at once without taking from it.
        void started.then(() => alive && made?.mixAhead())
      })
      .catch(() => {
        // No 2D canvas (a DOM without one) or the chunk failed to load: the player stays "loading".
      })
    return () => {
      alive = false
      made?.dispose()
      engine.current = null
      shown.current = null
      ready.value = false
      preview.report({ playing: false, currentMs: 0, failures: [] })
    }
  }, [sessionId, visible])

  // Measured before the first paint: the engine's first frame is drawn at the player's size.
  useLayoutEffect(() => {
    const el = wrapRef.current
    if (!el) return
    const measure = () => (width.value = Math.max(120, el.clientWidth))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [visible])

  // A new draft (after a reply) or framing: the same position, redrawn.
  useEffect(() => {
    if (ready.value) show()
  }, [ready.value, state?.timeline, box.size.width, box.size.height])

  // The person's mute and volume, applied to the sound as it plays.
  useSignalEffect(() => {
    const level = { muted: preview.muted.value, volume: preview.volume.value }
    if (ready.value) engine.current?.setSound(level)
  })

  // Requests from the timeline (seek) and from replies (play the preview).
  useSignalEffect(() => {
    const req = preview.request.value
    const e = engine.current
    if (!req || !ready.value || !e) return
    e.seek(req.ms)
    if (req.play && !e.playing) {
      e.play()
      preview.report({ playing: true })
      wrapRef.current?.scrollIntoView({ block: 'nearest' })
      playRef.current?.focus()
    }
  })

  if (!state || !visible) return null
  const playing = preview.playing.value
  const toggle = () => {
    const e = engine.current
    if (!e) return
    if (e.playing) e.pause()
    else e.play()
    preview.report({ playing: e.playing })
  }
  const failures = preview.failures.value
  const current = Math.min(preview.currentMs.value, duration)
  const muted = preview.muted.value
  const volume = Math.round(preview.volume.value * 100)
  // M mutes wherever focus is in the player (its buttons, its sliders).
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key.toLowerCase() !== 'm' || e.ctrlKey || e.metaKey || e.altKey) return
    e.preventDefault()
    preview.toggleMute()
  }
  return (
    <section class="preview" aria-label={t('ui_preview_title')} ref={wrapRef} onKeyDown={onKeyDown}>
      <div class="preview-stage" style={{ height: `${box.cssHeight}px` }}>
        <canvas
          ref={canvasRef}
          class="preview-canvas"
          data-preset={preset}
          width={box.size.width}
          height={box.size.height}
          style={{ width: `${box.cssWidth}px`, height: `${box.cssHeight}px` }}
          role="img"
          aria-label={t('ui_preview_label', [preset])}
        />
        {!ready.value && <p class="preview-loading">{t('ui_preview_loading')}</p>}
      </div>
      <div class="preview-controls">
        <button
          ref={playRef}
          type="button"
          class="button button-small preview-play"
          disabled={!ready.value}
          aria-pressed={playing}
          onClick={toggle}
        >
          {playing ? t('ui_preview_pause') : t('ui_preview_play')}
        </button>
        <input
          type="range"
          class="preview-seek"
          min={0}
          max={duration}
          step={50}
          value={current}
          aria-label={t('ui_preview_seek')}
          aria-valuetext={t('ui_preview_time', [formatSeconds(current), formatSeconds(duration)])}
          onInput={(e) => preview.seek(Number((e.currentTarget as HTMLInputElement).value))}
        />
        <span class="preview-time">
          {t('ui_preview_time', [formatSeconds(current), formatSeconds(duration)])}
        </span>
        <button
          type="button"
          class="button button-small icon-button preview-mute"
          aria-pressed={muted}
          aria-label={t('ui_preview_mute')}
          aria-keyshortcuts="M"
          title={t('ui_preview_mute_hint')}
          onClick={() => preview.toggleMute()}
        >
          {muted || volume === 0 ? '\u{1F507}' : '\u{1F50A}'}
        </button>
        <input
          type="range"
          class="preview-volume"
          min={0}
          max={100}
          step={5}
          value={muted ? 0 : volume}
          aria-label={t('ui_preview_volume')}
          aria-valuetext={
            muted ? t('ui_preview_muted') : t('ui_preview_volume_value', [String(volume)])
          }
          onInput={(e) =>
            preview.setVolume(Number((e.currentTarget as HTMLInputElement).value) / 100)
          }
        />
      </div>
      {failures.length > 0 && (
        <ul class="preview-missing" role="status">
          {failures.map((f) => (
            <li key={f.url} data-reason={f.reason}>
              {t('ui_preview_missing', [nameOf(f.url, state.timeline), t(REASON_KEYS[f.reason])])}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
