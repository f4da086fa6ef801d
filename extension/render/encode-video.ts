import type { StreamTargetChunk } from 'mediabunny'
import type { AudioMixer, DrawContext } from '../preview/types.ts'
import { chooseAudioCodec } from './audio-codec.ts'
import { startAudioFeed, type AudioFeed } from './audio-feed.ts'
import { H264_CODEC, VIDEO_BITRATE } from './encode-support.ts'
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
  /** The sound, mixed a window at a time beside the picture; without it, no audio track. */
  audio?: AudioMixer | undefined
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

const AUDIO_BITRATE = 160_000
/** Sound is handed to the encoder this far ahead of the picture, so the muxer interleaves. */
const AUDIO_LEAD_S = 1

/**
 * Encodes `frames` into an H.264 MP4 through WebCodecs and mediabunny. Each frame is drawn,
 * encoded and written before the next (awaiting `add()` is the backpressure), so memory does not
 * grow with the length; the sound is mixed and encoded beside the frames, a second or two ahead
 * of them (startAudioFeed). The moov box goes into space reserved at the start (fast start) from
 * packet counts known in advance. mediabunny loads here, on first use, never in the popup.
 */
export async function encodeVideo(opts: EncodeOptions): Promise<EncodeResult> {
  const mb = await import('mediabunny')
  const { width, height, fps, signal } = opts
  const total = Math.max(1, Math.round((opts.durationMs / 1000) * fps))
  const durationS = total / fps
  const canvases = canvasRing(width, height)

  const output = new mb.Output({
    format: new mb.Mp4OutputFormat({ fastStart: 'reserve' }),
    target: new mb.StreamTarget(opts.writable, { chunked: true, chunkSize: 4 * 1024 * 1024 }),
  })
  const video = new mb.VideoSampleSource({
    codec: 'avc',
    // The exact stream the panel asked the browser about before the job existed.
    fullCodecString: H264_CODEC,
    quality: new mb.Quality({ bitrate: VIDEO_BITRATE }),
    keyFrameInterval: 2,
    latencyMode: 'realtime',
  })
  output.addVideoTrack(video, { frameRate: fps, maximumPacketCount: total + 2 })

  const audioCodec = opts.audio
    ? await chooseAudioCodec(opts.audioChoice, {
        sampleRate: opts.audio.sampleRate,
        numberOfChannels: opts.audio.channelCount,
      })
    : undefined
  let audio: InstanceType<typeof mb.AudioSampleSource> | undefined
  if (opts.audio && audioCodec) {
    const quality = new mb.Quality({ bitrate: AUDIO_BITRATE })
    audio = new mb.AudioSampleSource({ codec: audioCodec, quality })
    // mediabunny's advice: one packet per 10 ms at most, plus a third.
    output.addAudioTrack(audio, { maximumPacketCount: Math.ceil(durationS * 100 * 1.34) + 32 })
  }

  let feed: AudioFeed | undefined
  const abort = () => void output.cancel().catch(() => {})
  signal?.addEventListener('abort', abort, { once: true })
  try {
    await output.start()
    if (opts.audio && audio) feed = audioFeed(mb, audio, opts.audio, durationS)
    for (let i = 0; i < total; i++) {
      signal?.throwIfAborted()
      const timeMs = (i * 1000) / fps
      // The sound runs ahead on its own; a frame waits only if the sound is behind it.
      feed?.want(timeMs / 1000 + AUDIO_LEAD_S)
      await feed?.reached(timeMs / 1000)
      await opts.frames.prepare?.(timeMs)
      const { canvas, ctx } = canvases[i % canvases.length]!
      opts.frames.draw(ctx, timeMs)
      const frame = new mb.VideoSample(canvas, { timestamp: i / fps, duration: 1 / fps })
      try {
        await video.add(frame)
      } finally {
        frame.close()
      }
      opts.onProgress?.(i + 1, total)
    }
    await feed?.finish()
    signal?.throwIfAborted()
    await output.finalize()
    return { frames: total, audioCodec, mimeType: await output.getMimeType() }
  } catch (err) {
    feed?.stop()
    if (output.state !== 'canceled' && output.state !== 'finalized') abort()
    throw signal?.aborted ? signal.reason : err
  } finally {
    signal?.removeEventListener('abort', abort)
  }
}

/**
 * Each frame handed to the encoder is a snapshot of its canvas, held until the encoder is done with
 * it: mediabunny lets 4 frames wait in the encoder's queue, and Chromium's encoder works on up to 5
 * more at once (its ComputeMaxActiveEncodes). Drawing on a canvas whose snapshot is still held
 * makes Chromium copy it first, ~25 ms of the main thread per 1080p frame. With 6 canvases that
 * still happened often enough to cost the main thread ~12 ms a frame against ~7 ms with 10, and the
 * copies raised the renderer's peak memory (650 against 490-530 MB in the bench). Drawing each frame
 * on the next of 4 + 5 + 1 canvases never touches a held one.
 */
const CANVAS_RING = 10

function canvasRing(width: number, height: number) {
  return Array.from({ length: CANVAS_RING }, () => {
    const canvas = new OffscreenCanvas(width, height)
    const ctx = canvas.getContext('2d', { alpha: false })
    if (!ctx) throw new Error('No 2D canvas here')
    return { canvas, ctx }
  })
}

/** The mixer's sound into mediabunny's audio source, one sample per second (see startAudioFeed). */
function audioFeed(
  mb: typeof import('mediabunny'),
  source: InstanceType<typeof import('mediabunny').AudioSampleSource>,
  mixer: AudioMixer,
  durationS: number,
): AudioFeed {
  const { sampleRate, channelCount } = mixer
  return startAudioFeed(
    mixer,
    async (data, from) => {
      const sample = new mb.AudioSample({
        data,
        format: 'f32-planar',
        numberOfChannels: channelCount,
        sampleRate,
        timestamp: from / sampleRate,
      })
      try {
        await source.add(sample)
      } finally {
        sample.close()
      }
    },
    durationS,
  )
}
