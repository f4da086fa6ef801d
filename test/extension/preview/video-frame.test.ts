import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  hasDrawableFrame,
  whenFrameDrawable,
  type FrameWait,
} from '../../../extension/preview/video-frame.ts'

// The decisions about waiting, on a stand-in element whose frame arrives when a test says so.
// What Chromium really does (loadeddata before the frame; the frame callback that brings it) is
// checked in the real browser: test/preview/first-frame.test.ts.

/** An element with no frame until `present()`; `VideoFrame` of it throws as Chromium's does. */
function standIn() {
  const callbacks: Array<() => void> = []
  const el = {
    drawable: false,
    requestVideoFrameCallback: vi.fn((cb: () => void) => callbacks.push(cb)),
  }
  return {
    el: el as unknown as HTMLVideoElement,
    asked: el.requestVideoFrameCallback,
    /** The frame reaches the element (and the callbacks asked for so far run, as presented). */
    present(withCallback = true) {
      el.drawable = true
      if (withCallback) for (const cb of callbacks.splice(0)) cb()
    },
  }
}

class StandInVideoFrame {
  constructor(el: { drawable?: boolean; error?: string }) {
    if (el.error) throw new DOMException('refused', el.error)
    if (!el.drawable) throw new DOMException('no frame yet', 'InvalidStateError')
  }
  close() {}
}

function settles(p: Promise<void>) {
  const state = { done: false }
  void p.then(() => (state.done = true))
  return state
}

const WAIT: FrameWait = { waitMs: 1000, giveUpMs: 20_000, late: () => {}, gone: () => false }

beforeEach(() => {
  vi.useFakeTimers()
  vi.stubGlobal('VideoFrame', StandInVideoFrame)
})
afterEach(() => vi.useRealTimers())

describe('waiting for a video’s first drawable frame', () => {
  it('does not wait, nor ask for a frame, when the element has one', async () => {
    const v = standIn()
    v.present()
    const state = settles(whenFrameDrawable(v.el, WAIT))
    await Promise.resolve()
    expect(state.done).toBe(true)
    expect(v.asked).not.toHaveBeenCalled()
  })

  it('asks the element for its frame and resolves once it is drawable, not before', async () => {
    const v = standIn()
    const state = settles(whenFrameDrawable(v.el, WAIT))
    expect(v.asked).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(40)
    expect(state.done).toBe(false)
    // Drawable without the callback having come: found by looking.
    v.present(false)
    await vi.advanceTimersByTimeAsync(5)
    expect(state.done).toBe(true)
  })

  it('resolves when the frame callback comes with the frame', async () => {
    const v = standIn()
    const state = settles(whenFrameDrawable(v.el, WAIT))
    v.present()
    await Promise.resolve()
    expect(state.done).toBe(true)
  })

  it('gives up waiting after waitMs, then reports a frame that comes later, once', async () => {
    const v = standIn()
    const late = vi.fn()
    const state = settles(whenFrameDrawable(v.el, { ...WAIT, late }))
    await vi.advanceTimersByTimeAsync(999)
    expect(state.done).toBe(false)
    await vi.advanceTimersByTimeAsync(10)
    expect(state.done).toBe(true)
    expect(late).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(2000)
    v.present()
    await vi.advanceTimersByTimeAsync(200)
    expect(late).toHaveBeenCalledTimes(1)
  })

  it('stops watching an element that is let go of, and never reports it late', async () => {
    const v = standIn()
    const late = vi.fn()
    let gone = false
    const state = settles(whenFrameDrawable(v.el, { ...WAIT, late, gone: () => gone }))
    await vi.advanceTimersByTimeAsync(20)
    gone = true
    await vi.advanceTimersByTimeAsync(10)
    expect(state.done).toBe(true)
    v.present()
    await vi.advanceTimersByTimeAsync(2000)
    expect(late).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('takes anything but “no frame yet” as a frame: it never holds a draw back otherwise', () => {
    const el = { error: 'SecurityError' } as unknown as HTMLVideoElement
    expect(hasDrawableFrame(el)).toBe(true)
    expect(hasDrawableFrame({} as unknown as HTMLVideoElement)).toBe(false)
    vi.unstubAllGlobals()
    vi.stubGlobal('VideoFrame', undefined)
    expect(hasDrawableFrame({} as unknown as HTMLVideoElement)).toBe(true)
  })
})
