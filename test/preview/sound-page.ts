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
  }
}

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
  const blobs = new Map(
    Object.entries(base64).map(([name, b64]) => [
      `https://media.test/${name}`,
      new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'audio/mpeg' }),
    ]),
  )
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
