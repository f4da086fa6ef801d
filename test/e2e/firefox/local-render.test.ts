import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../scripts/lib/wait.ts'
import { PRESET_SIZES } from '../../../shared/api/index.ts'
import { e2e } from '../harness.ts'
import { FirefoxTour, xpathString } from '../lib/firefox-tour.ts'
import { probeVideo } from '../lib/media-probe.ts'
import { Messages } from '../lib/messages.ts'
import { openFirefox, type TestFirefox } from './harness.ts'

const run = promisify(execFile)

/** What this Firefox can encode, asked in the page itself with the export's H.264 stream. */
type Capability = 'can-encode' | 'no-webcodecs' | 'no-h264'

interface StoredRender {
  job: { jobId: string; status: string; error?: unknown }
  audioCodec?: string
  timeline?: { durationMs: number }
}

describe('export on this device in Firefox (the background page renders)', () => {
  const env = e2e()
  let ff: TestFirefox
  let tour: FirefoxTour
  let messages: Messages
  let popup: Page

  beforeAll(async () => {
    messages = new Messages(env.firefoxExtensionDir)
    ff = await openFirefox('local-render')
    tour = new FirefoxTour({ ff, siteUrl: env.siteUrl, messages })
  })
  afterAll(async () => {
    await ff?.close()
  })

  const renders = async (): Promise<StoredRender[]> => {
    const all = (await popup.evaluate(() =>
      (
        globalThis as unknown as {
          browser: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } }
        }
      ).browser.storage.local.get('local-renders'),
    )) as { 'local-renders'?: { renders?: StoredRender[] } }
    return all['local-renders']?.renders ?? []
  }

  const exportHereButton = async () =>
    (await popup.waitForSelector(
      `::-p-xpath(//button[contains(@class,"export-here")][normalize-space(.)=${xpathString(messages.text('ui_export_here'))}])`,
    ))!

  it('the panel agrees with what the browser can encode; where it can, the MP4 is on disk', async () => {
    popup = await tour.openPopup()
    const capability = await popup.evaluate(async (): Promise<Capability> => {
      if (typeof VideoEncoder === 'undefined') return 'no-webcodecs'
      for (const [width, height] of [
        [1920, 1080],
        [1080, 1920],
        [1080, 1080],
      ] as const) {
        const { supported } = await VideoEncoder.isConfigSupported({
          codec: 'avc1.640028',
          width,
          height,
          bitrate: 8_000_000,
          framerate: 30,
          latencyMode: 'realtime',
        }).catch(() => ({ supported: false }))
        if (!supported) return 'no-h264'
      }
      return 'can-encode'
    })
    // Which of the two this Firefox is, in the test's output (the README reports it).
    console.info(`Firefox ${(await ff.browser.version()).trim()}: ${capability}`)

    await tour.send(popup, 'make a video about the sea with music')
    expect((await tour.waitForReplyDone(popup, 1)).error).toBe('')
    await tour.waitForTimeline(popup)
    await popup.$$eval('details.panel', (ps) =>
      ps.forEach((p) => ((p as HTMLDetailsElement).open = true)),
    )
    // One square render (the smallest preset): 1:1 on, 16:9 off.
    for (const preset of ['16:9', '1:1'] as const) {
      const toggle = (await popup.waitForSelector(
        `::-p-xpath(//*[contains(@class,"presets")]//button[contains(.,${xpathString(preset)})])`,
      ))!
      const pressed = (await toggle.evaluate((b) => b.getAttribute('aria-pressed'))) === 'true'
      if (pressed !== (preset === '1:1')) await toggle.click()
    }
    const button = await exportHereButton()
    const panelText = () =>
      popup.$eval('details.panel:has(.export-here)', (p) => p.textContent ?? '')

    if (capability !== 'can-encode') {
      const why = messages.text(
        capability === 'no-webcodecs' ? 'ui_export_here_no_webcodecs' : 'ui_export_here_no_h264',
      )
      await waitFor('the reason to show', async () => (await panelText()).includes(why))
      expect(await button.evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(true)
      await button.click().catch(() => {})
      expect(await renders()).toEqual([])
      return
    }

    // It can: nothing says otherwise, and the button renders through the background page.
    await waitFor(
      'Export here to be enabled',
      async () => !(await button.evaluate((b) => (b as HTMLButtonElement).disabled)),
    )
    expect(await panelText()).not.toContain(messages.text('ui_export_here_no_h264'))
    expect(await panelText()).not.toContain(messages.text('ui_export_here_no_webcodecs'))
    await button.click()
    const started = await waitFor('the render to be listed', async () => (await renders())[0])
    const durationMs = started.timeline?.durationMs
    const done = await waitFor(
      'the render to complete',
      async () => {
        const r = (await renders()).find((x) => x.job.jobId === started.job.jobId)
        if (r?.job.status === 'failed') throw new Error(`render failed: ${JSON.stringify(r.job)}`)
        return r?.job.status === 'completed' ? r : undefined
      },
      240_000,
      500,
    )
    const row = await popup.waitForSelector(
      `::-p-xpath(//*[contains(@class,"jobs")]//*[contains(@class,"job")][contains(.,${xpathString(messages.text('ui_job_here'))})]//button[normalize-space(.)=${xpathString(messages.text('ui_job_download'))}])`,
      { timeout: 30_000 },
    )
    await row!.click()
    const file = await waitFor(
      'the MP4 on disk',
      async () => {
        const names = await readdir(ff.downloadsDir).catch(() => [] as string[])
        const mp4 = names.find((n) => n.endsWith('.mp4'))
        if (!mp4 || names.some((n) => n.endsWith('.part'))) return undefined
        const path = join(ff.downloadsDir, mp4)
        return (await stat(path)).size > 0 ? path : undefined
      },
      60_000,
      500,
    )
    const video = await probeVideo(file)
    expect(video.codec).toBe('h264')
    expect({ width: video.width, height: video.height }).toEqual(PRESET_SIZES['1:1'])
    if (durationMs)
      expect(Math.abs(video.durationSec - durationMs / 1000)).toBeLessThanOrEqual(1 / 30)
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'a',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      file,
    ])
    expect(stdout.trim()).toBe(done.audioCodec)
    console.info(
      `Firefox rendered ${video.width}×${video.height}, ${video.durationSec} s, sound ${done.audioCodec}`,
    )
    // Playable: every frame decodes.
    await run('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-'])
  })
})
