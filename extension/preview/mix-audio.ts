import type { Timeline } from '../../shared/draft/timeline.ts'
import { planTimeline, type SoundClip } from './plan.ts'
import type { MediaLibrary, MixedAudio, MixOptions } from './types.ts'

/**
 * Renders a timeline's sound offline: the music and every clip's own sound at their volumes, with
 * their fades, into planar Float32 channels. Pages only (OfflineAudioContext). A sound that cannot
 * be fetched or decoded is left out (the library reports the fetch failure; a clip without an
 * audio track is simply silent).
 */
export async function mixTimelineAudio(
  timeline: Timeline,
  media: MediaLibrary,
  opts: MixOptions,
): Promise<MixedAudio> {
  const plan = planTimeline(timeline)
  const channelCount = opts.channelCount ?? 2
  const length = Math.max(1, Math.ceil((plan.durationMs / 1000) * opts.sampleRate))
  const ctx = new OfflineAudioContext(channelCount, length, opts.sampleRate)
  const decoded = new Map<string, Promise<AudioBuffer | undefined>>()
  const decode = (url: string) => {
    let p = decoded.get(url)
    if (!p) {
      p = media
        .audioBytes(url)
        .then((bytes) => (bytes ? ctx.decodeAudioData(bytes) : undefined))
        .catch(() => undefined)
      decoded.set(url, p)
    }
    return p
  }
  const buffers = await Promise.all(plan.sounds.map((s) => decode(s.url)))
  plan.sounds.forEach((sound, i) => {
    const buffer = buffers[i]
    if (buffer) schedule(ctx, sound, buffer)
  })
  const rendered = await ctx.startRendering()
  const channels: Float32Array[] = []
  for (let c = 0; c < channelCount; c++) channels.push(rendered.getChannelData(c).slice())
  return { sampleRate: opts.sampleRate, channels }
}

function schedule(ctx: BaseAudioContext, sound: SoundClip, buffer: AudioBuffer): void {
  const start = sound.startMs / 1000
  const end = sound.endMs / 1000
  const offset = sound.sourceStartMs / 1000
  if (!sound.loop && offset >= buffer.duration) return
  const src = ctx.createBufferSource()
  src.buffer = buffer
  if (sound.loop && buffer.duration > 0) {
    src.loop = true
    src.loopStart = 0
    src.loopEnd = buffer.duration
  }
  const gain = ctx.createGain()
  const span = end - start
  const fin = Math.min(sound.fadeInMs / 1000, span / 2)
  const fout = Math.min(sound.fadeOutMs / 1000, span / 2)
  gain.gain.setValueAtTime(fin > 0 ? 0 : sound.volume, start)
  if (fin > 0) gain.gain.linearRampToValueAtTime(sound.volume, start + fin)
  if (fout > 0) {
    gain.gain.setValueAtTime(sound.volume, end - fout)
    gain.gain.linearRampToValueAtTime(0, end)
  }
  src.connect(gain).connect(ctx.destination)
  const from = sound.loop ? offset % Math.max(buffer.duration, 0.001) : offset
  src.start(start, from, sound.loop ? span : Math.min(span, buffer.duration - offset))
  src.stop(end)
}
