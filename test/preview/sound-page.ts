// Runs inside the test page (bundled by ./sound.test.ts): the preview's sound output and the
// player engine, with helpers the tests call through page.evaluate.
import type { Timeline } from '../../shared/draft/timeline.ts'
import { createPlayerEngine } from '../../extension/preview/player-engine.ts'
import { createSoundOutput, type SoundLevel } from '../../extension/preview/sound-output.ts'

declare global {
  interface Window {
    /** Mean |sample| of a full-scale signal through the output, before and after 0.5 s. */
    outputLevels(level: SoundLevel, then: SoundLevel): Promise<[number, number]>
    /** The engine's gain once its sound has started, then after `then` is applied. */
    engineGains(
      base64: Record<string, string>,
      timeline: Timeline,
      level: SoundLevel,
      then: SoundLevel,
    ): Promise<[number | undefined, number | undefined]>
    /**
     * Plays a timeline whose media arrive `delayMs` late: every time the engine reported (ms since
     * play, playback ms) and the canvas's top-left pixel when it first reported a time past 0.
     */
    playWithLateMedia(
      base64: Record<string, string>,
      timeline: Timeline,
      delayMs: number,
    ): Promise<{ reports: Array<[number, number]>; firstPixel: number[] }>
  }
}

const TYPES: Record<string, string> = { mp3: 'audio/mpeg', jpg: 'image/jpeg', mp4: 'video/mp4' }
const blobsOf = (base64: Record<string, string>) =>
  new Map(
    Object.entries(base64).map(([name, b64]) => [
      `https://media.test/${name}`,
      new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], {
        type: TYPES[name.split('.').pop()!],
      }),
    ]),
  )
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const RATE = 8000

window.outputLevels = async (level, then) => {
  const ctx = new OfflineAudioContext(1, RATE, RATE)
  const source = ctx.createConstantSource()
  const output = createSoundOutput(ctx, level)
  source.connect(output.input)
  source.start()
  void ctx.suspend(0.5).then(() => {
    output.set(then)
    void ctx.resume()
  })
  const data = (await ctx.startRendering()).getChannelData(0)
  // Windows that leave the change 100 ms to settle.
  const mean = (from: number, to: number) => {
    let sum = 0
    for (let i = from * RATE; i < to * RATE; i++) sum += Math.abs(data[i]!)
    return sum / ((to - from) * RATE)
  }
  return [mean(0.1, 0.45), mean(0.6, 1)]
}

window.engineGains = async (base64, timeline, level, then) => {
  const blobs = blobsOf(base64)
  const canvas = document.createElement('canvas')
  document.body.append(canvas)
  const engine = createPlayerEngine({
    canvas,
    media: {
      localBlob: async (url) => blobs.get(url),
      remote: () => Promise.reject(new Error('no worker here')),
    },
    describeFailure: (f) => f.reason,
    onFailures: () => {},
    onTime: () => {},
    onEnded: () => {},
    sound: level,
  })
  engine.load(timeline, { width: 160, height: 90 })
  engine.play()
  // The sound starts once the mix is made.
  for (let i = 0; i < 200 && engine.soundGain === undefined; i++)
    await new Promise((r) => setTimeout(r, 50))
  const first = engine.soundGain
  engine.setSound(then)
  const second = engine.soundGain
  engine.dispose()
  canvas.remove()
  return [first, second]
}

window.playWithLateMedia = async (base64, timeline, delayMs) => {
  const blobs = blobsOf(base64)
  const canvas = document.createElement('canvas')
  document.body.append(canvas)
  const reports: Array<[number, number]> = []
  let firstPixel: number[] = []
  let playedAt = 0
  const engine = createPlayerEngine({
    canvas,
    media: {
      localBlob: async (url) => (await sleep(delayMs), blobs.get(url)),
      remote: () => Promise.reject(new Error('no worker here')),
    },
    describeFailure: (f) => f.reason,
    onFailures: () => {},
    onTime: (ms) => {
      reports.push([performance.now() - playedAt, ms])
      if (ms > 0 && !firstPixel.length)
        firstPixel = [...canvas.getContext('2d')!.getImageData(1, 1, 1, 1).data]
    },
    onEnded: () => {},
    sound: { muted: true, volume: 1 },
  })
  engine.load(timeline, { width: 160, height: 90 })
  playedAt = performance.now()
  engine.play()
  await sleep(delayMs + 700)
  engine.dispose()
  canvas.remove()
  return { reports, firstPixel }
}
