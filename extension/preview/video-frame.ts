/** What the check draws on: a 1×1 2D context (an OffscreenCanvas where there is one). */
export type ProbeContext = Pick<
  CanvasRenderingContext2D,
  'clearRect' | 'drawImage' | 'getImageData'
>

let sharedProbe: ProbeContext | null | undefined
function probeContext(): ProbeContext | null {
  if (sharedProbe === undefined) {
    const opts: CanvasRenderingContext2DSettings = { willReadFrequently: true }
    if (typeof OffscreenCanvas === 'function') {
      sharedProbe = new OffscreenCanvas(1, 1).getContext('2d', opts) as ProbeContext | null
    } else if (typeof document !== 'undefined') {
      const canvas = document.createElement('canvas')
      canvas.width = canvas.height = 1
      sharedProbe = canvas.getContext('2d', opts)
    } else {
      sharedProbe = null
    }
  }
  return sharedProbe ?? null
}

/**
 * Whether a `<video>` has a frame to draw right now. Chromium can fire `loadeddata` (at
 * HAVE_ENOUGH_DATA even) before the first decoded frame has reached the element: a paused,
 * off-page element at `preload=metadata` every time, at `auto` now and then (~0.1-1 % of loads).
 * Drawn then, it paints nothing. So the element is drawn on a cleared 1×1 canvas: a frame, even a
 * black one, leaves an opaque pixel; no frame leaves it transparent (~1-2 ms). (`new VideoFrame(el)`
 * refusing was the first test: on a loaded machine it was built while a draw still painted
 * nothing, 2 of 5 stills in a run.) Anything that stops the check (no canvas, a tainted element)
 * is taken as a frame: this only ever holds a draw back when there is surely none.
 */
export function hasDrawableFrame(
  el: HTMLVideoElement,
  probe: ProbeContext | null = probeContext(),
): boolean {
  if (!probe) return true
  try {
    probe.clearRect(0, 0, 1, 1)
    probe.drawImage(el, 0, 0, 1, 1)
    return probe.getImageData(0, 0, 1, 1).data[3]! > 0
  } catch {
    return true
  }
}

/** A missing first frame mostly came 15-60 ms after `loadeddata`: look often. */
const POLL_MS = 4
/** After the wait, a frame that comes at all still reaches the screen through `late`. */
const LATE_POLL_MS = 50

export interface FrameWait {
  /** Resolve after this long without a frame, so that nothing waits on it for longer. */
  waitMs: number
  /** The frame came after `waitMs`: what was drawn without it can be drawn again. */
  late(): void
  /** Stop watching after this long in all (the element is then taken as it is). */
  giveUpMs: number
  /** The element is being let go of: stop watching. */
  gone(): boolean
  /** Whether the element has a frame to draw (hasDrawableFrame; tests give their own). */
  drawable?: (el: HTMLVideoElement) => boolean
}

/**
 * Resolves as soon as `el` has a frame to draw (at once in the usual case), or after
 * `wait.waitMs` all the same. Asking for a video frame callback is what gets Chromium to bring a
 * paused element's frame up to date: at preload=metadata, without one the frame had not come after
 * 2 s, with one it came in 11-90 ms. The callback itself can come after the frame is drawable, or
 * not at all, so the frame is also looked for every few ms.
 */
export function whenFrameDrawable(el: HTMLVideoElement, wait: FrameWait): Promise<void> {
  const hasFrame = wait.drawable ?? hasDrawableFrame
  if (hasFrame(el)) return Promise.resolve()
  return new Promise((resolve) => {
    const start = performance.now()
    let waitOver = false
    let finished = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const check = () => {
      if (finished) return
      clearTimeout(timer)
      const waited = performance.now() - start
      if (wait.gone() || hasFrame(el) || waited >= wait.giveUpMs) {
        finished = true
        if (waitOver && !wait.gone() && hasFrame(el)) wait.late()
        return resolve()
      }
      if (!waitOver && waited >= wait.waitMs) {
        waitOver = true
        resolve()
      }
      timer = setTimeout(check, waitOver ? LATE_POLL_MS : POLL_MS)
    }
    const ask = () => {
      if ('requestVideoFrameCallback' in el)
        el.requestVideoFrameCallback(() => {
          check()
          if (!finished) ask()
        })
    }
    ask()
    timer = setTimeout(check, POLL_MS)
  })
}
