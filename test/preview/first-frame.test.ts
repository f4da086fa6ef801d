import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Timeline } from '../../shared/draft/timeline.ts'
import { openPreviewPage, type PreviewPage } from './page.ts'

declare global {
  interface Window {
    /** Per video element made: whether it had a frame to draw when `loadeddata` came. */
    framesAtLoadeddata: boolean[]
  }
}

const COLS = 16
const ROWS = 9
const CLIP: Timeline = {
  durationMs: 5000,
  tracks: [
    {
      kind: 'video',
      typeCode: 0,
      label: 'Video',
      segments: [
        { label: 'clip.mp4', startMs: 0, endMs: 5000, sourceUrl: 'https://media.test/clip.mp4' },
      ],
    },
  ],
}

/** The still at 0 s as the player draws it first (exact, no seek), from a new media library. */
const firstStill = (p: PreviewPage) =>
  p.page.evaluate(
    ([tl, cols, rows]) => window.frameGrid(tl, { width: 320, height: 180 }, 0, cols, rows),
    [CLIP, COLS, ROWS] as const,
  )

let p: PreviewPage
beforeAll(async () => {
  p = await openPreviewPage()
  // The page's first video starts the decoder, which took up to 830 ms on a loaded machine: done
  // here, the frames under test come in the 15-60 ms they take in a popup that already decoded.
  await firstStill(p)
  // Chromium fires `loadeddata` before the first frame is drawable now and then at preload=auto
  // (a CI run drew the player's first still black), and every time at preload=metadata: every
  // element the media library makes here gets metadata, whatever it asks for.
  await p.page.evaluate(() => {
    window.framesAtLoadeddata = []
    const preload = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'preload')!
    Object.defineProperty(HTMLMediaElement.prototype, 'preload', {
      ...preload,
      set(this: HTMLVideoElement) {
        preload.set!.call(this, 'metadata')
        // Added before the library's own handler, so it sees the element as the library does.
        this.addEventListener('loadeddata', () => {
          let drawable = true
          try {
            new VideoFrame(this).close()
          } catch {
            drawable = false
          }
          window.framesAtLoadeddata.push(drawable)
        })
      },
    })
  })
})
afterAll(() => p?.close())

describe('a video’s first frame', () => {
  it('is drawn with its picture when `loadeddata` came before the frame did', async () => {
    const grids: number[][] = []
    // Each call is a new library, so a new element.
    for (let i = 0; i < 5; i++) grids.push(await firstStill(p))
    const seen = await p.page.evaluate(() => window.framesAtLoadeddata)
    // The case under test happened (else this test would prove nothing).
    expect(seen.length).toBe(5)
    expect(seen.filter((drawable) => !drawable).length).toBeGreaterThan(0)
    // The clip's dark blue (#1d3557) in the middle of the frame, on every still: never black.
    const middle = ((ROWS >> 1) * COLS + (COLS >> 1)) * 3
    for (const grid of grids) expect(grid[middle + 2], JSON.stringify(grid)).toBeGreaterThan(60)
  })
})
