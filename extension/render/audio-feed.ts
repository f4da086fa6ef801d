import type { AudioMixer } from '../preview/types.ts'

/** The mixer renders this much sound at a time (a few MB), whatever the video's length. */
export const MIX_WINDOW_S = 10

/** Where the feed hands its sound: `frames` frames from `fromFrame`, channel after channel. */
export type AudioSink = (planar: Float32Array, fromFrame: number, frames: number) => Promise<void>

/**
 * Hands the mixer's sound to `sink` in the background, in one-second samples (each window of the
 * mixer cut into whole seconds), up to the time the picture asks for with `want`. The picture
 * waits for the sound (`reached`) only when the sound is behind it, so mixing and the encoder's
 * audio queue never hold up a frame. The next window is mixed while the current one is handed
 * over: at most two windows (about 8 MB at 48 kHz stereo) are held, whatever the video's length.
 */
export function startAudioFeed(mixer: AudioMixer, sink: AudioSink, durationS: number) {
  const { sampleRate, channelCount } = mixer
  const end = Math.min(Math.round(durationS * sampleRate), mixer.length)
  const windowFrames = MIX_WINDOW_S * sampleRate
  /** Frames handed to the sink, and frames asked for so far. */
  let fed = 0
  let wanted = 0
  /** Where the pump last waited for `wanted` to pass: only that crossing needs to wake it. */
  let waitingAt = 0
  let stopped = false
  let failure: { error: unknown } | undefined
  let wake: () => void = () => {}
  let changed = new Promise<void>((resolve) => (wake = resolve))
  /** Wakes whoever waits for `fed`, `wanted`, a stop or a failure. */
  const notify = () => {
    const resolve = wake
    changed = new Promise<void>((r) => (wake = r))
    resolve()
  }
  const framesAt = (seconds: number) => Math.min(end, Math.round(seconds * sampleRate))

  const mixWindow = (from: number) => {
    if (from >= end) return undefined
    const mixed = mixer
      .render(from, Math.min(windowFrames, end - from))
      .then((channels) => ({ from, channels }))
    mixed.catch(() => {}) // awaited below, or abandoned by a stop
    return mixed
  }

  const pump = async () => {
    let next = mixWindow(0)
    while (next && !stopped) {
      const win = await next
      const length = Math.min(win.channels[0]?.length ?? 0, end - win.from)
      if (length <= 0) throw new Error('The sound mixer gave an empty window')
      next = mixWindow(win.from + length)
      for (let at = win.from; at < win.from + length;) {
        waitingAt = at
        while (wanted <= at && !stopped) await changed
        if (stopped) return
        const n = Math.min(sampleRate, win.from + length - at)
        const data = new Float32Array(n * channelCount)
        const inWin = at - win.from
        win.channels.forEach((c, k) => data.set(c.subarray(inWin, inWin + n), k * n))
        await sink(data, at, n)
        at += n
        fed = at
        notify()
      }
    }
  }
  const done = pump().then(
    () => {
      if (!stopped && fed < end) failure = { error: new Error('The sound ended early') }
      notify()
    },
    (error: unknown) => {
      failure = { error }
      notify()
    },
  )

  /** Lets the sound run ahead to `seconds` (returns at once). */
  function want(seconds: number): void {
    const frames = framesAt(seconds)
    if (frames <= wanted) return
    // Called every frame: the pump is woken only when it has a second to feed.
    const crossing = wanted <= waitingAt && frames > waitingAt
    wanted = frames
    if (crossing) notify()
  }
  /** Resolves once the sound is handed over up to `seconds`; rejects if the feed failed. */
  async function reached(seconds: number): Promise<void> {
    const frames = framesAt(seconds)
    want(seconds)
    while (fed < frames) {
      if (failure) throw failure.error
      if (stopped) throw new Error('The sound feed was stopped')
      await changed
    }
  }
  return {
    want,
    reached,
    /** The whole sound handed over (rejects if the feed failed). */
    async finish(): Promise<void> {
      await reached(end / sampleRate)
      await done
      if (failure) throw failure.error
    },
    /** Stops feeding (on an error or a cancel): no more sound goes to the sink. */
    stop(): void {
      stopped = true
      notify()
    },
    /** Frames handed to the sink so far. */
    fed: () => fed,
  }
}
export type AudioFeed = ReturnType<typeof startAudioFeed>
