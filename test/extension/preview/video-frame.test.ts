import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  hasDrawableFrame,
  whenFrameDrawable,
  type FrameWait,
  type ProbeContext,
} from '../../../extension/preview/video-frame.ts'

// The decisions about waiting, on a stand-in element whose frame arrives when a test says so.
// What Chromium really does (loadeddata before the frame; the frame callback that brings it) is
// checked in the real browser: test/preview/first-frame.test.ts.

/** An element with no frame until `present()`. */
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

/** A 1×1 canvas as the check uses it: a drawn frame leaves an opaque pixel, no frame leaves none. */
function probeOf(refuse?: string) {
  let alpha = 0
  return {
    clearRect: () => void (alpha = 0),
    drawImage: (el: { drawable?: boolean }) => void (alpha = el.drawable ? 255 : alpha),
    getImageData: () => {
      if (refuse) throw new DOMException('refused', refuse)
      return { data: new Uint8ClampedArray([0, 0, 0, alpha]) }
    },
  } as unknown as ProbeContext
}

function settles(p: Promise<void>) {
  const state = { done: false }
  void p.then(() => (state.done = true))
  return state
}

const WAIT: FrameWait = {
  waitMs: 1000,
  giveUpMs: 20_000,
  late: () => {},
  gone: () => false,
  drawable: (el) => hasDrawableFrame(el, probeOf()),
}

beforeEach(() => {
  vi.useFakeTimers()
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

  it('reads a frame from the drawn pixel: opaque is a frame (even a black one), none is not', () => {
    const el = (drawable: boolean) => ({ drawable }) as unknown as HTMLVideoElement
    expect(hasDrawableFrame(el(true), probeOf())).toBe(true)
    expect(hasDrawableFrame(el(false), probeOf())).toBe(false)
    // The probe is cleared each time: an earlier element's frame does not count for the next.
    const probe = probeOf()
    expect(hasDrawableFrame(el(true), probe)).toBe(true)
    expect(hasDrawableFrame(el(false), probe)).toBe(false)
  })

  it('takes anything that stops the check as a frame: it never holds a draw back otherwise', () => {
    const noFrame = { drawable: false } as unknown as HTMLVideoElement
    expect(hasDrawableFrame(noFrame, probeOf('SecurityError'))).toBe(true)
    expect(hasDrawableFrame(noFrame, null)).toBe(true)
  })
})
