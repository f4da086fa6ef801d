import type { StreamTargetChunk } from 'mediabunny'
import type { DrawContext, MixedAudio } from '../preview/types.ts'
import { chooseAudioCodec } from './audio-codec.ts'
import type { AudioChoice } from './render-messages.ts'

/** What the encoder draws: the compositor (or, in the bench, a bare loop) at one frame size. */
export interface FrameSource {
  /** Loads what frame `timeMs` needs; awaited before every draw. */
  prepare?(timeMs: number): Promise<void>
  draw(ctx: DrawContext, timeMs: number): void
}

export interface EncodeOptions {
  width: number
  height: number
  fps: number
  durationMs: number
  frames: FrameSource
  /** The mixed sound; without it the file has no audio track. */
  audio?: MixedAudio | undefined
  audioChoice: AudioChoice
  /** Where the file goes; positions may go back (the reserved header is written last). */
  writable: WritableStream<StreamTargetChunk>
  /** Frames done of the total, after each frame. */
  onProgress?: (done: number, total: number) => void
  signal?: AbortSignal
}

export interface EncodeResult {
  frames: number
  audioCodec: string | undefined
  mimeType: string
}

/** 1080p H.264 at this quality is about 8 Mbit/s: plenty for stills and titles. */
const VIDEO_BITRATE = 8_000_000
const AUDIO_BITRATE = 160_000
/** Sound is handed to the encoder this far ahead of the picture, so the muxer interleaves. */
const AUDIO_LEAD_S = 1

/**
 * Encodes `frames` into an H.264 MP4 through WebCodecs and mediabunny. Each frame is drawn,
 * encoded and written before the next (awaiting `add()` is the backpressure), so memory does not
 * grow with the length; the moov box goes into space reserved at the start (fast start) from
 * packet counts known in advance. mediabunny loads here, on first use, never in the popup.
 */
export async function encodeVideo(opts: EncodeOptions): Promise<EncodeResult> {
  const mb = await import('mediabunny')
  const { width, height, fps, signal } = opts
  const total = Math.max(1, Math.round((opts.durationMs / 1000) * fps))
  const durationS = total / fps
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d', { alpha: false })
  if (!ctx) throw new Error('No 2D canvas here')

  const output = new mb.Output({
    format: new mb.Mp4OutputFormat({ fastStart: 'reserve' }),
    target: new mb.StreamTarget(opts.writable, { chunked: true, chunkSize: 4 * 1024 * 1024 }),
  })
  const video = new mb.CanvasSource(canvas, {
    codec: 'avc',
    quality: new mb.Quality({ bitrate: VIDEO_BITRATE }),
    keyFrameInterval: 2,
    latencyMode: 'realtime',
  })
  output.addVideoTrack(video, { frameRate: fps, maximumPacketCount: total + 2 })

  const audioCodec = opts.audio ? await chooseAudioCodec(opts.audioChoice, opts.audio) : undefined
  let audio: InstanceType<typeof mb.AudioSampleSource> | undefined
  if (opts.audio && audioCodec) {
    const quality = new mb.Quality({ bitrate: AUDIO_BITRATE })
    audio = new mb.AudioSampleSource({ codec: audioCodec, quality })
    // mediabunny's advice: one packet per 10 ms at most, plus a third.
    output.addAudioTrack(audio, { maximumPacketCount: Math.ceil(durationS * 100 * 1.34) + 32 })
  }

  const abort = () => void output.cancel().catch(() => {})
  signal?.addEventListener('abort', abort, { once: true })
  try {
    await output.start()
    const feeder = opts.audio && audio ? audioFeeder(mb, audio, opts.audio, durationS) : undefined
    for (let i = 0; i < total; i++) {
      signal?.throwIfAborted()
      const timeMs = (i * 1000) / fps
      await feeder?.upTo(timeMs / 1000 + AUDIO_LEAD_S)
      await opts.frames.prepare?.(timeMs)
      opts.frames.draw(ctx, timeMs)
      await video.add(i / fps, 1 / fps)
      opts.onProgress?.(i + 1, total)
    }
    await feeder?.upTo(durationS)
    signal?.throwIfAborted()
    await output.finalize()
    return { frames: total, audioCodec, mimeType: await output.getMimeType() }
  } catch (err) {
    if (output.state !== 'canceled' && output.state !== 'finalized') abort()
    throw signal?.aborted ? signal.reason : err
  } finally {
    signal?.removeEventListener('abort', abort)
  }
}

/** Hands planar Float32 sound to the encoder in one-second samples, never past the end. */
function audioFeeder(
  mb: typeof import('mediabunny'),
  source: InstanceType<typeof import('mediabunny').AudioSampleSource>,
  mixed: MixedAudio,
  durationS: number,
) {
  const { sampleRate, channels } = mixed
  const end = Math.min(
    Math.round(durationS * sampleRate),
    Math.min(...channels.map((c) => c.length)),
  )
  let at = 0
  return {
    async upTo(seconds: number): Promise<void> {
      const until = Math.min(end, Math.round(seconds * sampleRate))
      while (at < until) {
        const n = Math.min(sampleRate, until - at)
        const data = new Float32Array(n * channels.length)
        channels.forEach((c, k) => data.set(c.subarray(at, at + n), k * n))
        const sample = new mb.AudioSample({
          data,
          format: 'f32-planar',
          numberOfChannels: channels.length,
          sampleRate,
          timestamp: at / sampleRate,
        })
        await source.add(sample)
        sample.close()
        at += n
      }
    },
  }
}
