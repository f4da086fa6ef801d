import { describe, expect, it } from 'vitest'
import { MIX_WINDOW_S, startAudioFeed } from '../../../extension/render/audio-feed.ts'
import type { AudioMixer } from '../../../extension/preview/types.ts'

/** A low rate keeps the arrays small; the feed works in whole seconds of whatever rate. */
const RATE = 100
const WINDOW = MIX_WINDOW_S * RATE

/**
 * A mix whose every sample names its place (frame + channel / 10), so a sample handed over in the
 * wrong place or channel shows. `hold` keeps a window's mixing pending until released.
 */
function rampMixer(seconds: number, hold = new Set<number>()) {
  const calls: number[] = []
  const pending = new Map<number, () => void>()
  const mixer: AudioMixer = {
    sampleRate: RATE,
    channelCount: 2,
    length: seconds * RATE,
    async render(from, frames) {
      calls.push(from)
      if (hold.has(from)) await new Promise<void>((resolve) => pending.set(from, resolve))
      const n = Math.min(frames, seconds * RATE - from)
      return [0, 1].map((c) => Float32Array.from({ length: n }, (_, i) => from + i + c / 10))
    },
  }
  const release = (from: number) => {
    hold.delete(from)
    pending.get(from)?.()
  }
  return { mixer, calls, release }
}

function recordingSink(opts: { failAt?: number } = {}) {
  const samples: Array<{ from: number; frames: number; data: Float32Array }> = []
  const sink = async (data: Float32Array, from: number, frames: number) => {
    await Promise.resolve()
    if (opts.failAt !== undefined && from >= opts.failAt) throw new Error('encoder closed')
    samples.push({ from, frames, data })
  }
  return { samples, sink }
}

/** Lets every pending step of the feed run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0))
}

describe('the sound fed beside the picture', () => {
  it('hands every frame once, in order, in one-second samples, each channel in its place', async () => {
    const { mixer } = rampMixer(25)
    const { samples, sink } = recordingSink()
    const feed = startAudioFeed(mixer, sink, 24.5)
    await feed.finish()
    expect(samples.map((s) => s.from)).toEqual(Array.from({ length: 25 }, (_, i) => i * RATE))
    expect(samples.map((s) => s.frames)).toEqual([...Array<number>(24).fill(RATE), RATE / 2])
    for (const { from, frames, data } of samples) {
      expect(data.length).toBe(frames * 2)
      const expected = [0, 1].flatMap((c) =>
        Array.from({ length: frames }, (_, i) => Math.fround(from + i + c / 10)),
      )
      expect([...data]).toEqual(expected)
    }
    expect(feed.fed()).toBe(24.5 * RATE)
  })

  it('runs ahead only as far as the picture lets it (one sample past what was wanted)', async () => {
    const { mixer } = rampMixer(60)
    const { samples, sink } = recordingSink()
    const feed = startAudioFeed(mixer, sink, 60)
    await settle()
    expect(samples).toEqual([])
    feed.want(3.2)
    await settle()
    expect(feed.fed()).toBe(4 * RATE)
    // Asking for sound it already has does not wait or feed more.
    await feed.reached(3)
    await settle()
    expect(feed.fed()).toBe(4 * RATE)
    feed.stop()
  })

  it('mixes the next window while the current one is fed, and holds no more than two', async () => {
    const { mixer, calls, release } = rampMixer(45, new Set([WINDOW]))
    const { samples, sink } = recordingSink()
    // When each window is asked for: how much sound the encoder had by then.
    const fedAtCall: number[] = []
    const render = mixer.render.bind(mixer)
    mixer.render = (from, frames) => {
      fedAtCall.push(samples.reduce((sum, s) => sum + s.frames, 0))
      return render(from, frames)
    }
    const feed = startAudioFeed(mixer, sink, 45)
    // The first window's sound reaches the encoder while the second is still being mixed: a
    // picture at 9 s does not wait for the mixer.
    await feed.reached(9)
    expect(calls).toEqual([0, WINDOW])
    feed.want(20)
    await settle()
    expect(feed.fed()).toBe(WINDOW)
    expect(calls).toEqual([0, WINDOW])
    release(WINDOW)
    await feed.finish()
    expect(calls).toEqual([0, 1, 2, 3, 4].map((w) => w * WINDOW))
    // A window is mixed only once the one two before it is all handed over: two held at most.
    calls.forEach((from, i) => expect(fedAtCall[i]).toBeGreaterThanOrEqual(from - WINDOW))
    expect(samples.at(-1)).toMatchObject({ from: 44 * RATE, frames: RATE })
  })

  it("an encoder's failure reaches the picture's next wait, and the end", async () => {
    const { mixer } = rampMixer(20)
    const { samples, sink } = recordingSink({ failAt: 3 * RATE })
    const feed = startAudioFeed(mixer, sink, 20)
    await feed.reached(2)
    await expect(feed.reached(10)).rejects.toThrow('encoder closed')
    await expect(feed.finish()).rejects.toThrow('encoder closed')
    expect(samples.map((s) => s.from)).toEqual([0, RATE, 2 * RATE])
  })

  it('after a stop (a cancel), no more sound goes to the encoder', async () => {
    const { mixer } = rampMixer(20)
    const { samples, sink } = recordingSink()
    const feed = startAudioFeed(mixer, sink, 20)
    await feed.reached(3)
    const handed = samples.length
    feed.stop()
    feed.want(20)
    await settle()
    expect(samples.length).toBe(handed)
    await expect(feed.reached(10)).rejects.toThrow('stopped')
  })

  it('a mix shorter than the video ends the sound at its own end', async () => {
    const { mixer } = rampMixer(12)
    const { samples, sink } = recordingSink()
    const feed = startAudioFeed(mixer, sink, 15)
    await feed.finish()
    expect(feed.fed()).toBe(12 * RATE)
    expect(samples.at(-1)).toMatchObject({ from: 11 * RATE, frames: RATE })
  })
})
