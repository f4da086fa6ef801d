import type { Timeline } from '../../shared/draft/timeline.ts'

/**
 * The preview's public interface: the compositor draws any frame of a timeline, the mixer renders
 * its sound, and both get their media from a `MediaLibrary`. The player and the on-device export
 * use exactly these, so what a person watches is what the export encodes.
 */

/** The frame in pixels; its ratio is the framing (16:9, 9:16, 1:1), whatever the draft's size. */
export interface FrameSize {
  width: number
  height: number
}

/** Any 2D context the compositor can draw on (a page canvas or an OffscreenCanvas in a worker). */
export type DrawContext = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D

/** Why a piece of media is not on screen; the player words each one (en + zh). */
export type MediaFailureReason =
  'not_found' | 'forbidden' | 'too_large' | 'timeout' | 'unsupported' | 'network'

export interface MediaFailure {
  url: string
  reason: MediaFailureReason
}

/** How exact a frame must be: see `MediaLibrary.videoFrame`. */
export interface FrameRequest {
  exact?: boolean
  playing?: boolean
}

/** Something drawable with its natural size (an image, a video element showing its current frame). */
export interface Drawable {
  source: CanvasImageSource
  width: number
  height: number
}

/**
 * Where the compositor and the mixer get media. Every method resolves (never rejects): a URL that
 * cannot be had resolves `undefined` and is reported by `failure(url)`. Swappable: the export can
 * pass a library that decodes exact frames another way.
 */
export interface MediaLibrary {
  /** A still image, loaded once. */
  image(url: string): Promise<Drawable | undefined>
  /**
   * The video at `sourceMs` of its own time, ready to draw. `exact` waits until that very frame is
   * shown (export, a paused seek); `playing` lets the video run on by itself and seeks only when it
   * drifts (live playback). The returned source may be a live element: draw it before asking for
   * another time.
   */
  videoFrame(url: string, sourceMs: number, opts?: FrameRequest): Promise<Drawable | undefined>
  /** The compositor no longer shows this video for now: stop it running. */
  pause(url: string): void
  /** Encoded bytes of a sound (or a clip's own sound), for decodeAudioData. */
  audioBytes(url: string): Promise<ArrayBuffer | undefined>
  /** Why `url` failed, once it has. */
  failure(url: string): MediaFailure | undefined
  /** Every failure so far, in the order they happened. */
  failures(): MediaFailure[]
  /** Calls `cb` whenever a load finishes (ready or failed); returns the unsubscribe. */
  subscribe(cb: () => void): () => void
  /** Frees elements and object URLs. */
  dispose(): void
}

/** Draws frames of one timeline at one size. */
export interface Compositor {
  readonly size: FrameSize
  /** The timeline's length in ms (at least its last segment's end). */
  readonly durationMs: number
  /**
   * Loads and seeks what the frame at `timeMs` needs; `exact` for export, `playing` for live
   * playback (see MediaLibrary). Also starts loading what the next seconds need.
   */
  prepare(timeMs: number, opts?: FrameRequest): Promise<void>
  /**
   * Draws the frame at `timeMs` from what is loaded (synchronous; a missing source draws its
   * placeholder). Call `prepare(timeMs)` first for an exact frame.
   */
  draw(ctx: DrawContext, timeMs: number): void
}

export interface CompositorOptions {
  /** Words on a missing source's placeholder (the player passes its en/zh wording). */
  describeFailure?: (failure: MediaFailure) => string
}

export type CreateCompositor = (
  timeline: Timeline,
  media: MediaLibrary,
  size: FrameSize,
  opts?: CompositorOptions,
) => Compositor

/** The mixed sound of a timeline: one Float32Array per channel (planar), at `sampleRate`. */
export interface MixedAudio {
  sampleRate: number
  channels: Float32Array[]
}

export interface MixOptions {
  sampleRate: number
  /** 2 unless told (stereo). */
  channelCount?: number
}

/**
 * A timeline's sound, mixed a window at a time (see `createAudioMixer`): the export asks for the
 * next seconds as it encodes them, so memory does not grow with the video's length.
 */
export interface AudioMixer {
  sampleRate: number
  channelCount: number
  /** The whole mix's length in sample frames. */
  length: number
  /** Frames `from` to `from + frames` (cut at `length`), one Float32Array per channel. */
  render(from: number, frames: number): Promise<Float32Array[]>
}

/** Renders music and clip sound at their volumes, with fades (OfflineAudioContext; pages only). */
export type MixTimelineAudio = (
  timeline: Timeline,
  media: MediaLibrary,
  opts: MixOptions,
) => Promise<MixedAudio>
