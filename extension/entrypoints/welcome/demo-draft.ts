import type { Timeline } from '../../../shared/draft/timeline.ts'

/** The demo's length: a title, then each way in for a quarter of it. */
export const DEMO_MS = 20_000
/** One picture (and one caption) per quarter. */
const PART_MS = DEMO_MS / 4

/**
 * The demo's media, shipped in `public/demo/` (made by scripts/make-demo-media.sh): one picture
 * per quarter, in order, and a music loop.
 */
export const DEMO_PICTURES = ['coast.jpg', 'hills.jpg', 'lighthouse.jpg', 'gradient.jpg'] as const
export const DEMO_MUSIC = 'music.mp3'

/** Where each file can be read (blob: URLs: the compositor draws http, blob and data URLs). */
export interface DemoMediaUrls {
  pictures: readonly string[]
  music: string
}

/** The words the demo shows, in the UI language: its title and one line per way in. */
export interface DemoWords {
  title: string
  steps: readonly string[]
}

/**
 * A fixed draft like the ones PageReel makes: four pictures (the compositor pans and zooms
 * them and cross-fades between them), a title, one caption per way in, and looping music.
 */
export function demoTimeline(urls: DemoMediaUrls, words: DemoWords): Timeline {
  const part = (i: number) => ({ startMs: i * PART_MS, endMs: (i + 1) * PART_MS })
  return {
    title: words.title,
    width: 1920,
    height: 1080,
    durationMs: DEMO_MS,
    tracks: [
      {
        kind: 'video',
        typeCode: 0,
        label: 'Video',
        segments: urls.pictures.map((url, i) => ({
          label: DEMO_PICTURES[i] ?? `picture ${i + 1}`,
          ...part(i),
          sourceUrl: url,
          mediaKind: 'image' as const,
        })),
      },
      {
        kind: 'audio',
        typeCode: 1,
        label: 'BGM',
        segments: [
          {
            label: DEMO_MUSIC,
            startMs: 0,
            endMs: DEMO_MS,
            sourceUrl: urls.music,
            mediaKind: 'audio',
            volumePercent: 60,
            fadeOutMs: 1500,
          },
        ],
      },
      {
        kind: 'text',
        typeCode: 7,
        label: 'Title',
        segments: [{ label: words.title, text: words.title, startMs: 300, endMs: PART_MS - 400 }],
      },
      {
        kind: 'text',
        typeCode: 7,
        label: 'Captions',
        segments: words.steps.map((step, i) => ({
          label: step,
          text: step,
          startMs: (i + 1) * PART_MS + 300,
          endMs: (i + 2) * PART_MS - 300,
        })),
      },
    ],
  }
}

/** Which way in the demo shows at `ms`: -1 during the title, then 0, 1, 2. */
export function demoStepAt(ms: number): number {
  return Math.min(2, Math.floor(Math.max(0, ms) / PART_MS) - 1)
}
