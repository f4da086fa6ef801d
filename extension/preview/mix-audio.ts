import type { Timeline } from '../../shared/draft/timeline.ts'
import { planTimeline, type SoundClip } from './plan.ts'
import type { AudioMixer, MediaLibrary, MixedAudio, MixOptions } from './types.ts'

/**
 * Renders a timeline's sound offline, one window at a time: the music and every clip's own sound
 * at their volumes, with their fades, into planar Float32 channels. Each sound is decoded once
 * (memory bounded by the media); a window is its own short OfflineAudioContext in which every
 * sound that overlaps it is scheduled from its place at the window's start, and each gain
 * envelope is cut at the window's edges at the values it has there, so windows laid end to end
 * are the whole mix (a long export never holds its whole soundtrack). Pages only
 * (OfflineAudioContext). A sound that cannot be fetched or decoded is left out (the library
 * reports the fetch failure; a clip without an audio track is simply silent).
 */
export async function createAudioMixer(
  timeline: Timeline,
  media: MediaLibrary,
  opts: MixOptions,
): Promise<AudioMixer> {
  const plan = planTimeline(timeline)
  const { sampleRate } = opts
  const channelCount = opts.channelCount ?? 2
  const length = Math.max(1, Math.ceil((plan.durationMs / 1000) * sampleRate))
  // decodeAudioData resamples to its context's rate; the buffers then play in any window's context.
  const decoder = new OfflineAudioContext(channelCount, 1, sampleRate)
  const decoded = new Map<string, Promise<AudioBuffer | undefined>>()
  const decode = (url: string) => {
    let p = decoded.get(url)
    if (!p) {
      p = media
        .audioBytes(url)
        .then((bytes) => (bytes ? decoder.decodeAudioData(bytes) : undefined))
        .catch(() => undefined)
      decoded.set(url, p)
    }
    return p
  }
  const buffers = await Promise.all(plan.sounds.map((s) => decode(s.url)))
  const sounds = plan.sounds.flatMap((sound, i) => {
    const buffer = buffers[i]
    return buffer ? [{ sound, buffer }] : []
  })

  return {
    sampleRate,
    channelCount,
    length,
    async render(from, frames) {
      const n = Math.max(1, Math.min(frames, length - from))
      const ctx = new OfflineAudioContext(channelCount, n, sampleRate)
      const win = { from, to: from + n }
      for (const { sound, buffer } of sounds) schedule(ctx, sound, buffer, win)
      const rendered = await ctx.startRendering()
      const channels: Float32Array[] = []
      for (let c = 0; c < channelCount; c++) channels.push(rendered.getChannelData(c))
      return channels
    },
  }
}

/** The whole mix at once: the window mixer with one window the length of the timeline. */
export async function mixTimelineAudio(
  timeline: Timeline,
  media: MediaLibrary,
  opts: MixOptions,
): Promise<MixedAudio> {
  const mixer = await createAudioMixer(timeline, media, opts)
  return { sampleRate: mixer.sampleRate, channels: await mixer.render(0, mixer.length) }
}

/** A sound's gain over time: linear between these points (sample frames of the timeline). */
function envelope(sound: SoundClip, rate: number): Array<[number, number]> {
  const start = (sound.startMs * rate) / 1000
  const end = (sound.endMs * rate) / 1000
  const span = end - start
  const fin = Math.min((sound.fadeInMs * rate) / 1000, span / 2)
  const fout = Math.min((sound.fadeOutMs * rate) / 1000, span / 2)
  const v = sound.volume
  return [
    [start, fin > 0 ? 0 : v],
    ...(fin > 0 ? [[start + fin, v] as [number, number]] : []),
    [end - fout, v],
    [end, fout > 0 ? 0 : v],
  ]
}

function gainAt(points: Array<[number, number]>, t: number): number {
  for (let i = 1; i < points.length; i++) {
    const [t0, v0] = points[i - 1]!
    const [t1, v1] = points[i]!
    if (t <= t1) return t1 > t0 ? v0 + ((v1 - v0) * (t - t0)) / (t1 - t0) : v1
  }
  return points[points.length - 1]![1]
}

/**
 * Schedules the part of `sound` inside `win` (sample frames of the timeline) on `ctx`. Times are
 * reckoned in frames and only then turned into seconds of the window, so a sound starting on a
 * frame starts on that very frame in whichever window it falls (seconds subtracted from seconds
 * land a hair past it, and the browser would start it a frame late).
 */
function schedule(
  ctx: BaseAudioContext,
  sound: SoundClip,
  buffer: AudioBuffer,
  win: { from: number; to: number },
): void {
  const rate = ctx.sampleRate
  const start = (sound.startMs * rate) / 1000
  const end = (sound.endMs * rate) / 1000
  const from = Math.max(start, win.from)
  const to = Math.min(end, win.to)
  if (to <= from) return
  const at = (frame: number) => (frame - win.from) / rate
  // Where in its own time the sound is at `from`.
  let offset = sound.sourceStartMs / 1000 + (from - start) / rate
  if (sound.loop && buffer.duration > 0) offset %= buffer.duration
  else if (offset >= buffer.duration) return
  const src = ctx.createBufferSource()
  src.buffer = buffer
  if (sound.loop && buffer.duration > 0) {
    src.loop = true
    src.loopStart = 0
    src.loopEnd = buffer.duration
  }
  // The envelope cut to the window: its value at the cut, then its own corners.
  const points = envelope(sound, rate)
  const gain = ctx.createGain()
  gain.gain.setValueAtTime(gainAt(points, from), at(from))
  for (const [t, v] of points) if (t > from && t < to) gain.gain.linearRampToValueAtTime(v, at(t))
  gain.gain.linearRampToValueAtTime(gainAt(points, to), at(to))
  src.connect(gain).connect(ctx.destination)
  const span = (to - from) / rate
  src.start(at(from), offset, sound.loop ? span : Math.min(span, buffer.duration - offset))
}
