import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Timeline, TimelineTrack } from '../../shared/draft/timeline.ts'
import { openPreviewPage, type PreviewPage } from './page.ts'

let p: PreviewPage
beforeAll(async () => {
  p = await openPreviewPage()
})
afterAll(() => p?.close())

const M = 'https://media.test/'
const seg = (
  startMs: number,
  endMs: number,
  more: Partial<TimelineTrack['segments'][number]> = {},
) => ({
  label: more.sourceUrl?.split('/').pop() ?? 'segment',
  startMs,
  endMs,
  ...more,
})
const video = (...segments: TimelineTrack['segments']): TimelineTrack => ({
  kind: 'video',
  typeCode: 0,
  label: 'Video',
  segments,
})
const titles = (...segments: TimelineTrack['segments']): TimelineTrack => ({
  kind: 'text',
  typeCode: 7,
  label: 'Title',
  segments,
})
const music = (...segments: TimelineTrack['segments']): TimelineTrack => ({
  kind: 'audio',
  typeCode: 1,
  label: 'BGM',
  segments,
})
const timeline = (durationMs: number, ...tracks: TimelineTrack[]): Timeline => ({
  durationMs,
  tracks,
})

function render(
  tl: Timeline,
  size: { width: number; height: number },
  times: number[],
  points: Array<[number, number]>,
) {
  return p.page.evaluate(
    ([tl, size, times, points]) => window.renderFrames(tl, size, times, points),
    [tl, size, times, points] as const,
  )
}

/** Which of red, green, blue clearly dominates a pixel, or 'mixed'. */
function hue([r = 0, g = 0, b = 0]: number[]): string {
  if (r > 200 && g < 60 && b < 60) return 'red'
  if (g > 200 && r < 60 && b < 60) return 'green'
  if (b > 200 && r < 60 && g < 60) return 'blue'
  return 'mixed'
}

describe('compositor, frame by frame', () => {
  const WIDE = { width: 320, height: 180 }

  it('shows the right picture at each time, cross-fading between them', async () => {
    const tl = timeline(
      6000,
      video(
        seg(0, 2000, { sourceUrl: `${M}red-wide.png` }),
        seg(2000, 4000, { sourceUrl: `${M}green-wide.png` }),
        seg(4000, 6000, { sourceUrl: `${M}blue-wide.png` }),
      ),
    )
    const { samples, failures } = await render(
      tl,
      WIDE,
      [500, 1900, 2150, 3000, 5000, 5990],
      [
        [160, 90],
        [5, 5],
      ],
    )
    expect(failures).toEqual([])
    expect(samples.map((s) => hue(s[0]!))).toEqual(['red', 'red', 'mixed', 'green', 'blue', 'blue'])
    // Mid cross-fade both pictures show through.
    const [r = 0, g = 0] = samples[2]![0]!
    expect(r).toBeGreaterThan(40)
    expect(g).toBeGreaterThan(40)
    // Cover fit: the corner is the picture too, never a black bar.
    expect(samples.map((s) => hue(s[1]!))).toEqual(['red', 'red', 'mixed', 'green', 'blue', 'blue'])
  })

  it('draws the title at 1 s and not at 4 s, with CJK and emoji', async () => {
    const tl = timeline(
      5000,
      video(seg(0, 5000, { sourceUrl: `${M}blue-wide.png` })),
      titles(seg(0, 3000, { label: 'Title', text: 'Hello 世界 🎬' })),
    )
    const { white } = await render(tl, WIDE, [1000, 4000], [])
    const [at1, at4] = white
    expect(at1![0]).toBeGreaterThan(30)
    expect(at4![0]).toBe(0)
    // In the middle of the frame (a title), inside the safe margins.
    expect(at1![1]).toBeGreaterThanOrEqual(Math.floor(WIDE.width * 0.05))
    expect(at1![2]).toBeLessThanOrEqual(Math.ceil(WIDE.width * 0.95))
    expect(at1![3]).toBeGreaterThan(WIDE.height * 0.25)
    expect(at1![4]).toBeLessThan(WIDE.height * 0.75)
  })

  it('wraps a long title inside the safe margins of a portrait frame', async () => {
    const tall = { width: 180, height: 320 }
    const text = '这是一个很长的标题，用来检查自动换行是否在安全边距之内 and some English words too'
    const tl = timeline(
      3000,
      video(seg(0, 3000, { sourceUrl: `${M}red-wide.png` })),
      titles(seg(0, 3000, { text })),
    )
    const { white } = await render(tl, tall, [1500], [])
    const [count, minX, maxX, minY, maxY] = white[0]!
    expect(count).toBeGreaterThan(50)
    expect(minX).toBeGreaterThanOrEqual(Math.floor(tall.width * 0.05))
    expect(maxX).toBeLessThanOrEqual(Math.ceil(tall.width * 0.95))
    // More than one line: the text block is taller than one line of the font.
    expect(maxY! - minY!).toBeGreaterThan(tall.width * 0.085 * 1.5)
  })

  it('fills a 9:16 frame with a 16:9 picture: no letterbox', async () => {
    const tall = { width: 180, height: 320 }
    const tl = timeline(3000, video(seg(0, 3000, { sourceUrl: `${M}green-wide.png` })))
    const edges: Array<[number, number]> = [
      [2, 2],
      [177, 2],
      [90, 2],
      [90, 317],
      [2, 317],
      [177, 317],
      [90, 160],
    ]
    const { samples } = await render(tl, tall, [0, 2900], edges)
    for (const frame of samples) expect(frame.map(hue)).toEqual(edges.map(() => 'green'))
  })

  it('shows a video clip at its source time (trimmed start honoured)', async () => {
    // The clip's orange bar is at x = 60 px/s × source time (320 px wide source, 24 px bar).
    const tl = timeline(
      3000,
      video(seg(0, 3000, { sourceUrl: `${M}clip.mp4`, sourceStartMs: 1000 })),
    )
    const frame = { width: 320, height: 180 }
    const { samples, failures } = await render(
      tl,
      frame,
      [500, 2000],
      [
        [100, 90],
        [190, 90],
      ],
    )
    expect(failures).toEqual([])
    const orange = ([r = 0, g = 0, b = 0]: number[]) => r > 200 && g > 120 && g < 200 && b < 140
    // t=0.5 s is source 1.5 s: the bar covers x≈90..114; t=2 s is source 3 s: x≈180..204.
    expect(samples[0]!.map(orange), JSON.stringify(samples)).toEqual([true, false])
    expect(samples[1]!.map(orange)).toEqual([false, true])
  })

  it('draws a missing picture as a placeholder with its reason, never black', async () => {
    const tl = timeline(2000, video(seg(0, 2000, { sourceUrl: `${M}gone.png`, label: 'gone.png' })))
    const { samples, failures, white } = await render(tl, WIDE, [1000], [[3, 3]])
    expect(failures).toEqual([{ url: `${M}gone.png`, reason: 'not_found' }])
    const [r = 0, g = 0, b = 0] = samples[0]![0]!
    expect(r + g + b).toBeGreaterThan(60)
    // Its words ("Missing (not_found)") are drawn in light grey, not white: the card is not empty.
    expect(white[0]![0]).toBe(0)
  })
})

describe('audio mixer', () => {
  it('mixes music at its volume, loops it to fill, and fades it out', async () => {
    const at = (vol: number) =>
      timeline(9000, music(seg(0, 9000, { sourceUrl: `${M}music.mp3`, volumePercent: vol })))
    const windows: Array<[number, number]> = [
      [1000, 2000],
      [5000, 6000],
      [8950, 9000],
    ]
    const full = await p.page.evaluate(([tl, w]) => window.mixLevels(tl, w), [
      at(100),
      windows,
    ] as const)
    const half = await p.page.evaluate(([tl, w]) => window.mixLevels(tl, w), [
      at(50),
      windows,
    ] as const)
    expect(full.channels).toBe(2)
    const [early = 0, looped = 0, tail = 0] = full.rms
    expect(early).toBeGreaterThan(0.01)
    // The 4 s loop plays again at 5-6 s.
    expect(looped).toBeGreaterThan(early * 0.8)
    // The default fade-out: the last 50 ms are much quieter.
    expect(tail).toBeLessThan(early * 0.2)
    expect(half.rms[0]! / early).toBeCloseTo(0.5, 1)
  })

  it('adds a clip’s own sound while it plays, and nothing after it', async () => {
    const tl = timeline(4000, video(seg(0, 2000, { sourceUrl: `${M}clip.mp4` })))
    const { rms } = await p.page.evaluate(
      ([tl]) =>
        window.mixLevels(tl, [
          [500, 1500],
          [2500, 3500],
        ]),
      [tl] as const,
    )
    expect(rms[0]).toBeGreaterThan(0.02)
    expect(rms[1]).toBe(0)
  })

  it('mixes in windows exactly as at once: seams inside fades, a loop and a clip’s sound', async () => {
    // Music fading in over 1.5 s and out over 2 s, looping (4 s) under a clip with its own sound;
    // Windows of 1.037 s put seams inside both fades and inside the clip; not whole seconds, so a
    // sound placed at a wrong offset in a window shows (the music is a steady tone).
    const tl = timeline(
      9000,
      video(seg(2500, 4500, { sourceUrl: `${M}clip.mp4` })),
      music(
        seg(0, 9000, {
          sourceUrl: `${M}music.mp3`,
          volumePercent: 80,
          fadeInMs: 1500,
          fadeOutMs: 2000,
        }),
      ),
    )
    const r = await p.page.evaluate(([tl]) => window.mixInWindows(tl, 1037, 100), [tl] as const)
    expect(r.windowedLength).toBe(r.length)
    expect(r.seamDiffs).toHaveLength(8)
    // Float rounding only (a sample is at most 1): a sound a frame off or a gain cut wrong is 1e-3+.
    for (const d of r.seamDiffs) expect(d).toBeLessThan(1e-4)
    expect(r.maxDiff).toBeLessThan(1e-4)
    // Not silence compared with silence: the fades are there, continuous across the seams (5.5 s:
    // music alone at its full volume).
    const b = r.blocks
    const full = b[55]!
    expect(full).toBeGreaterThan(0.02)
    // Fade-in across the first seam: rising block by block through 0.5-1.5 s.
    for (let i = 5; i < 15; i++) expect(b[i + 1]!).toBeGreaterThan(b[i]!)
    expect(b[9]! / full).toBeGreaterThan(0.4)
    expect(b[9]! / full).toBeLessThan(0.8)
    // Fade-out across the seams at 7.3 and 8.3 s: falling through 7.5-8.5 s, near silence at the end.
    for (let i = 75; i < 85; i++) expect(b[i + 1]!).toBeLessThan(b[i]!)
    expect(b[89]!).toBeLessThan(full * 0.1)
  })
})
