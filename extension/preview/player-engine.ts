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

export interface PlayerEngineOptions {
  canvas: HTMLCanvasElement
  /** Where media bytes come from (the tray's copy, the worker's media route). */
  media: PreviewMediaDeps
  describeFailure: (failure: MediaFailure) => string
  /** Media failures so far (whenever one more happens). */
  onFailures(failures: MediaFailure[]): void
  /** Playback time, about every frame while playing. */
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
  let raf = 0
  let startedAt = 0
  let startedFrom = 0
  let pending: Promise<void> | undefined
  let lastFrameAt = 0
  let firstFrameShown = false
  let audio:
    | {
        ctx: AudioContext
        output: SoundOutput
        buffer?: AudioBuffer
        source?: AudioBufferSourceNode
      }
    | undefined
  let sound: SoundLevel = opts.sound ?? { muted: false, volume: 1 }
  let mixFor: Timeline | undefined
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
    if (audio?.source && audio.ctx.state === 'running')
      return startedFrom + (audio.ctx.currentTime - startedAt) * 1000
    return startedFrom + (performance.now() - startedAt)
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
    opts.onTime(t)
    if (t >= compositor.durationMs) {
      pause()
      position = 0
      opts.onEnded()
      return
    }
    raf = requestAnimationFrame(frame)
  }

  async function startSound(fromMs: number): Promise<void> {
    if (!timeline) return
    if (!audio) {
      const ctx = new AudioContext()
      audio = { ctx, output: createSoundOutput(ctx, sound) }
    }
    const a = audio
    if (mixFor !== timeline) {
      mixFor = timeline
      a.buffer = undefined
      const mixed = await mixTimelineAudio(timeline, library, { sampleRate: MIX_SAMPLE_RATE })
      if (mixFor !== timeline) return
      const length = mixed.channels[0]?.length ?? 1
      const buffer = a.ctx.createBuffer(mixed.channels.length, length, mixed.sampleRate)
      mixed.channels.forEach((ch, i) => buffer.copyToChannel(ch as Float32Array<ArrayBuffer>, i))
      a.buffer = buffer
    }
    if (!playing || !a.buffer) return
    await a.ctx.resume().catch(() => {})
    const src = a.ctx.createBufferSource()
    src.buffer = a.buffer
    src.connect(a.output.input)
    // Hand the clock over to the sound without a jump: start it where the picture is now.
    const at = playing ? now() : fromMs
    startedFrom = at
    startedAt = a.ctx.currentTime
    src.start(0, at / 1000)
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
      if (wasPlaying) this.play()
      else void showStill(position)
    },
    get durationMs(): number {
      return compositor?.durationMs ?? 0
    },
    get playing(): boolean {
      return playing
    },
    play(): void {
      if (playing || !compositor) return
      if (position >= compositor.durationMs) position = 0
      playing = true
      stillToken++
      startedFrom = position
      startedAt = performance.now()
      lastFrameAt = 0
      raf = requestAnimationFrame(frame)
      void startSound(position).catch(() => {})
    },
    pause,
    /** Mute or a new volume, applied to the sound already playing. */
    setSound(next: SoundLevel): void {
      sound = { ...next }
      audio?.output.set(sound)
    },
    /** The gain the sound plays at now (0 when muted), once sound has started; for tests. */
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
