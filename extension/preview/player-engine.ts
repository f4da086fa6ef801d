import type { Timeline } from '../../shared/draft/timeline.ts'
import { createCompositor } from './compositor.ts'
import { createMediaLibrary } from './media-library.ts'
import { mixTimelineAudio } from './mix-audio.ts'
import { createSoundOutput, type SoundLevel, type SoundOutput } from './sound-output.ts'
import type { Compositor, FrameSize, MediaFailure, MediaLibrary } from './types.ts'
import { previewFetch, type PreviewMediaDeps } from './worker-media.ts'

export { openMediaCache, withMediaCache } from './worker-media.ts'

/** A frame that took this much longer than the display's interval counts as dropped. */
const DROP_FACTOR = 1.5
const MIX_SAMPLE_RATE = 44_100
/**
 * Play waits at most this long for its first frame's media and the sound before the clock runs:
 * starting them (a video's decoder, the audio device, the mix) while frames were being drawn made
 * the first frames of playback late.
 */
const PREROLL_MAX_MS = 500
/** Playback time goes to the page this often (the time, the seek bar, the timeline's playhead). */
const TIME_STEP_MS = 50

export interface PlayerEngineOptions {
  canvas: HTMLCanvasElement
  /** Where media bytes come from (the tray's copy, the worker's media route). */
  media: PreviewMediaDeps
  describeFailure: (failure: MediaFailure) => string
  /** Media failures so far (whenever one more happens). */
  onFailures(failures: MediaFailure[]): void
  /** Playback time: every TIME_STEP_MS while playing, and on every seek. */
  onTime(ms: number): void
  /** Playback reached the end by itself. */
  onEnded(): void
  /** The first frame of a timeline is on the canvas (for the bench). */
  onFirstFrame?(): void
  /** Mute and volume to start with (then `setSound`); full volume by default. */
  sound?: SoundLevel
}

/** Playback statistics for the bench: frames drawn while playing, and how many came late. */
export interface PlaybackStats {
  frames: number
  dropped: number
}

/**
 * The imperative side of the preview player, loaded lazily: one media library per project (media
 * stay cached across draft changes), a compositor per draft and size, a `requestAnimationFrame`
 * loop for playback with the mixed sound as its clock.
 */
export function createPlayerEngine(opts: PlayerEngineOptions) {
  const ctx = opts.canvas.getContext('2d')
  if (!ctx) throw new Error('no 2D canvas')
  const library: MediaLibrary = createMediaLibrary(previewFetch(opts.media))
  const unsubscribe = library.subscribe(() => {
    opts.onFailures(library.failures())
    // A load finished: the still frame may now have its picture (or its placeholder's reason).
    if (!playing) void showStill(position)
  })
  let compositor: Compositor | undefined
  let timeline: Timeline | undefined
  let position = 0
  let playing = false
  /** Each play (and pause) is a new one: what an older one started late must not run. */
  let playToken = 0
  let raf = 0
  /** The playback clock, from when it started: the page's time, or the sound's once it plays. */
  let clock: { fromMs: number; at: number; by: 'page' | 'sound' } | undefined
  let pending: Promise<void> | undefined
  let lastFrameAt = 0
  let reportedMs = -Infinity
  let firstFrameShown = false
  let audio: { ctx: AudioContext; output: SoundOutput; source?: AudioBufferSourceNode } | undefined
  let sound: SoundLevel = opts.sound ?? { muted: false, volume: 1 }
  /** The mixed sound of one draft (made once per draft, before play when asked to). */
  let mix: { of: Timeline; buffer: Promise<AudioBuffer | undefined> } | undefined
  let mixEarly = false
  const stats: PlaybackStats = { frames: 0, dropped: 0 }
  let stillToken = 0

  async function showStill(ms: number): Promise<void> {
    if (!compositor) return
    const mine = ++stillToken
    const c = compositor
    await c.prepare(ms, { exact: true })
    if (mine !== stillToken || playing || c !== compositor) return
    c.draw(ctx!, ms)
    if (!firstFrameShown) {
      firstFrameShown = true
      opts.onFirstFrame?.()
    }
  }

  function now(): number {
    if (!clock) return position
    if (clock.by === 'sound' && audio)
      return clock.fromMs + (audio.ctx.currentTime - clock.at) * 1000
    return clock.fromMs + (performance.now() - clock.at)
  }

  function frame(at: number): void {
    if (!playing || !compositor) return
    if (lastFrameAt) {
      stats.frames++
      if (at - lastFrameAt > (1000 / 60) * DROP_FACTOR) stats.dropped++
    }
    lastFrameAt = at
    const t = Math.min(now(), compositor.durationMs)
    position = t
    pending ??= compositor.prepare(t, { playing: true }).finally(() => (pending = undefined))
    compositor.draw(ctx!, t)
    if (t - reportedMs >= TIME_STEP_MS || t < reportedMs) {
      reportedMs = t
      opts.onTime(t)
    }
    if (t >= compositor.durationMs) {
      pause()
      position = 0
      opts.onEnded()
      return
    }
    raf = requestAnimationFrame(frame)
  }

  /** The current draft's sound, mixed off the main thread into one buffer (none: silent). */
  function mixedSound(): Promise<AudioBuffer | undefined> {
    if (!timeline) return Promise.resolve(undefined)
    if (mix?.of !== timeline) {
      const buffer = mixTimelineAudio(timeline, library, { sampleRate: MIX_SAMPLE_RATE })
        .then(({ channels, sampleRate }) => {
          const length = channels[0]?.length ?? 1
          const out = new AudioBuffer({ numberOfChannels: channels.length, length, sampleRate })
          channels.forEach((ch, i) => out.copyToChannel(ch as Float32Array<ArrayBuffer>, i))
          return out
        })
        .catch(() => undefined)
      mix = { of: timeline, buffer }
    }
    return mix.buffer
  }

  /** Starts the sound where the picture is, and hands it the clock (without a jump). */
  async function startSound(token: number): Promise<void> {
    const buffer = await mixedSound()
    const a = audio
    if (!buffer || !a || token !== playToken) return
    await a.ctx.resume().catch(() => {})
    // A context the browser keeps suspended (no gesture) plays nothing: the page's clock goes on.
    if (token !== playToken || a.ctx.state !== 'running') return
    const src = a.ctx.createBufferSource()
    src.buffer = buffer
    src.connect(a.output.input)
    const fromMs = now()
    clock = { fromMs, at: a.ctx.currentTime, by: 'sound' }
    src.start(0, fromMs / 1000)
    a.source = src
  }

  function stopSound(): void {
    try {
      audio?.source?.stop()
    } catch {
      // never started
    }
    if (audio) audio.source = undefined
  }

  function pause(): void {
    if (!playing) return
    position = now()
    playing = false
    playToken++
    clock = undefined
    cancelAnimationFrame(raf)
    stopSound()
    // The bench reads these off the canvas (scripts/bench/preview.ts).
    opts.canvas.dataset.frames = String(stats.frames)
    opts.canvas.dataset.dropped = String(stats.dropped)
    for (const track of timeline?.tracks ?? [])
      for (const seg of track.segments) if (seg.sourceUrl) library.pause(seg.sourceUrl)
  }

  return {
    stats,
    library,
    /** A new draft, or a new frame size (the preset's framing at the canvas's pixel size). */
    load(next: Timeline, size: FrameSize): void {
      const wasPlaying = playing
      if (wasPlaying) pause()
      timeline = next
      opts.canvas.width = size.width
      opts.canvas.height = size.height
      compositor = createCompositor(next, library, size, { describeFailure: opts.describeFailure })
      position = Math.min(position, compositor.durationMs)
      if (mixEarly) void mixedSound()
      if (wasPlaying) this.play()
      else void showStill(position)
    },
    /** Mixes the draft's sound now (and each new draft's), so that play starts at once. */
    mixAhead(): void {
      mixEarly = true
      void mixedSound()
    },
    get durationMs(): number {
      return compositor?.durationMs ?? 0
    },
    get playing(): boolean {
      return playing
    },
    /**
     * Plays from the current position: the clock starts once that frame's media and the sound are
     * ready (at most PREROLL_MAX_MS; sound that comes later joins where the picture is).
     */
    play(): void {
      if (playing || !compositor) return
      if (position >= compositor.durationMs) position = 0
      playing = true
      stillToken++
      const token = ++playToken
      const c = compositor
      if (!audio) {
        // Made within the person's click: a context made later may stay suspended.
        const actx = new AudioContext()
        audio = { ctx: actx, output: createSoundOutput(actx, sound) }
      }
      const ready = Promise.all([c.prepare(position, { playing: true }), mixedSound()]).catch(
        () => {},
      )
      const waited = new Promise((r) => setTimeout(r, PREROLL_MAX_MS))
      void Promise.race([ready, waited]).then(() => {
        if (token !== playToken || c !== compositor) return
        clock = { fromMs: position, at: performance.now(), by: 'page' }
        lastFrameAt = 0
        reportedMs = -Infinity
        raf = requestAnimationFrame(frame)
        void startSound(token).catch(() => {})
      })
    },
    pause,
    /** Mute or a new volume, applied to the sound already playing. */
    setSound(next: SoundLevel): void {
      sound = { ...next }
      audio?.output.set(sound)
    },
    /** The gain the sound plays at now (0 when muted), once play made the output; for tests. */
    get soundGain(): number | undefined {
      return audio?.output.gain
    },
    seek(ms: number): void {
      const d = compositor?.durationMs ?? 0
      position = Math.max(0, Math.min(ms, d))
      opts.onTime(position)
      if (playing) {
        pause()
        this.play()
      } else void showStill(position)
    },
    dispose(): void {
      pause()
      unsubscribe()
      library.dispose()
      void audio?.ctx.close().catch(() => {})
    },
  }
}

export type PlayerEngine = ReturnType<typeof createPlayerEngine>
