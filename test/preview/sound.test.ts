import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Timeline } from '../../shared/draft/timeline.ts'
import { CHROMIUM_PATH } from '../e2e/lib/browser.ts'
import { MEDIA_BASE64 } from '../simulator/assets/media.ts'

let browser: Browser
let page: Page
beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./sound-page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'chrome120',
    logLevel: 'silent',
  })
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--autoplay-policy=no-user-gesture-required', '--mute-audio'],
  })
  page = await browser.newPage()
  await page.setContent('<!doctype html><meta charset="utf-8"><body></body>')
  await page.addScriptTag({ content: out.outputFiles[0]!.text })
})
afterAll(() => browser?.close())

describe('the preview’s sound output', () => {
  it('is silent while muted and plays at the volume when unmuted, at once', async () => {
    const [muted, unmuted] = await page.evaluate(() =>
      window.outputLevels({ muted: true, volume: 1 }, { muted: false, volume: 0.5 }),
    )
    expect(muted).toBe(0)
    expect(unmuted).toBeCloseTo(0.5, 2)
  })

  it('follows a volume, and mutes sound already playing', async () => {
    const [quiet, muted] = await page.evaluate(() =>
      window.outputLevels({ muted: false, volume: 0.25 }, { muted: true, volume: 0.25 }),
    )
    expect(quiet).toBeCloseTo(0.25, 2)
    expect(muted).toBeLessThan(1e-4)
  })

  it('is where the player’s mixed sound goes: gain 0 when muted, the volume when not', async () => {
    const tl: Timeline = {
      durationMs: 3000,
      tracks: [
        {
          kind: 'audio',
          typeCode: 1,
          label: 'BGM',
          segments: [
            { label: 'music', startMs: 0, endMs: 3000, sourceUrl: 'https://media.test/music.mp3' },
          ],
        },
      ],
    }
    const [muted, unmuted] = await page.evaluate(
      ([media, tl]) =>
        window.engineGains(media, tl, { muted: true, volume: 0.8 }, { muted: false, volume: 0.8 }),
      [{ 'music.mp3': MEDIA_BASE64['music.mp3']! }, tl] as const,
    )
    expect(muted).toBe(0)
    expect(unmuted).toBeCloseTo(0.8, 5)
  })
})

describe('the preview player’s playback', () => {
  const red: Timeline = {
    durationMs: 3000,
    tracks: [
      {
        kind: 'video',
        typeCode: 0,
        label: 'Video',
        segments: [
          { label: 'red', startMs: 0, endMs: 3000, sourceUrl: 'https://media.test/red.jpg' },
        ],
      },
      {
        kind: 'audio',
        typeCode: 1,
        label: 'BGM',
        segments: [
          { label: 'music', startMs: 0, endMs: 3000, sourceUrl: 'https://media.test/music.mp3' },
        ],
      },
    ],
  }
  const media = { 'red.jpg': MEDIA_BASE64['red.jpg']!, 'music.mp3': MEDIA_BASE64['music.mp3']! }

  it('starts its clock once the first frame’s picture is there, then runs', async () => {
    const { reports, firstPixel } = await page.evaluate(
      ([m, tl]) => window.playWithLateMedia(m, tl, 300),
      [media, red] as const,
    )
    const running = reports.filter(([, ms]) => ms > 0)
    expect(running.length).toBeGreaterThan(5)
    // Nothing moved while the picture was on its way.
    expect(running[0]![0]).toBeGreaterThanOrEqual(300)
    // The first frame in motion is the picture (0xd62828), not the black it would be without it.
    const [r, g, b] = firstPixel
    expect(r).toBeGreaterThan(180)
    expect(g).toBeLessThan(80)
    expect(b).toBeLessThan(80)
  })

  it('tells the page its time every 50 ms of playback, not every frame', async () => {
    const { reports } = await page.evaluate(([m, tl]) => window.playWithLateMedia(m, tl, 0), [
      media,
      red,
    ] as const)
    const times = reports.map(([, ms]) => ms).filter((ms) => ms > 0)
    expect(times.length).toBeGreaterThan(5)
    const steps = times.slice(1).map((ms, i) => ms - times[i]!)
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(50)
    expect(Math.max(...steps)).toBeLessThan(150)
  })
})
