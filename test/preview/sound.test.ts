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
