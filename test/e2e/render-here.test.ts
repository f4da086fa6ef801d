import { execFile } from 'node:child_process'
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listDownloads, waitForNewDownload } from './lib/downloads.ts'
import { frameTimes, probeVideo } from './lib/media-probe.ts'
import { Messages } from './lib/messages.ts'
import { recordNotifications, waitForNotification } from './lib/notifications.ts'
import { SITE_DIR, startPageServer, type PageServer } from './lib/page-server.ts'
import { Tour } from './lib/tour.ts'
import { waitFor } from '../../scripts/lib/wait.ts'
import { PRESET_SIZES, type ExportPreset, type Timeline } from '../../shared/api/index.ts'
import { describeError } from '../../shared/errors/table.ts'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'

const run = promisify(execFile)
const FPS = 30

interface StoredRender {
  job: { jobId: string; preset: string; status: string; progress?: number; fileName?: string }
  audioCodec?: string
  size?: number
}

/** A short draft over real files: two photos, a title over the first, a tone as music. */
function shortDraft(mediaOrigin: string, durationMs: number): Timeline {
  const mediaUrl = mediaOrigin.replace(/\/$/, '')
  const half = Math.round(durationMs / 2)
  return {
    title: 'Local render',
    durationMs,
    tracks: [
      {
        kind: 'video',
        typeCode: 0,
        label: 'Video',
        segments: [
          {
            label: 'hero',
            startMs: 0,
            endMs: half,
            sourceUrl: `${mediaUrl}/hero-1600.jpg`,
            mediaKind: 'image',
          },
          {
            label: 'meadow',
            startMs: half,
            endMs: durationMs,
            sourceUrl: `${mediaUrl}/meadow-1280.jpg`,
            mediaKind: 'image',
          },
        ],
      },
      {
        kind: 'text',
        typeCode: 7,
        label: 'Title',
        segments: [{ label: 'Title', text: 'Made on this device', startMs: 0, endMs: half }],
      },
      {
        kind: 'audio',
        typeCode: 1,
        label: 'BGM',
        segments: [
          {
            label: 'tone',
            startMs: 0,
            endMs: durationMs,
            sourceUrl: `${mediaUrl}/tone.wav`,
            mediaKind: 'audio',
            volumePercent: 60,
          },
        ],
      },
    ],
  }
}

/** Every stream of a file as ffprobe reads it. */
async function streams(file: string): Promise<Array<{ codec_type: string; codec_name: string }>> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type,codec_name',
    '-of',
    'json',
    file,
  ])
  return (JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string }> })
    .streams
}

/** The sound's RMS level in blocks of `blockS` seconds (mono, decoded by ffmpeg). */
async function soundLevels(file: string, blockS: number): Promise<number[]> {
  const rate = 8000
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:a:0',
      '-ac',
      '1',
      '-ar',
      String(rate),
      '-f',
      'f32le',
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  )
  const pcm = new Float32Array(stdout.buffer, stdout.byteOffset, stdout.byteLength / 4)
  const block = Math.round(blockS * rate)
  const levels: number[] = []
  for (let at = 0; at + block <= pcm.length; at += block) {
    let sum = 0
    for (let i = at; i < at + block; i++) sum += pcm[i]! * pcm[i]!
    levels.push(Math.sqrt(sum / block))
  }
  return levels
}

/** An image or a video frame as small RGB bytes (ffmpeg scales both the same way). */
async function rgbThumb(input: string[], out: string): Promise<Buffer> {
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...input,
    '-frames:v',
    '1',
    '-vf',
    'scale=96:96:flags=area',
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    out,
  ])
  const { readFile } = await import('node:fs/promises')
  return await readFile(out)
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!)
  return sum / a.length
}

describe('export on this device', () => {
  const env = e2e()
  let browser: TestBrowser
  let messages: Messages
  let media: PageServer
  let page: Page
  let mediaDir: string

  beforeAll(async () => {
    messages = new Messages(env.extensionDir)
    mediaDir = join(env.workDir, 'render-media')
    await mkdir(mediaDir, { recursive: true })
    for (const f of ['hero-1600.jpg', 'meadow-1280.jpg'])
      await copyFile(join(SITE_DIR, 'img', f), join(mediaDir, f))
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=30',
      '-ac',
      '2',
      '-ar',
      '44100',
      join(mediaDir, 'tone.wav'),
    ])
    media = await startPageServer(mediaDir)
    browser = await openBrowser('render-here')
    await recordNotifications(browser)
    page = await browser.openExtensionPage('options.html')
  })

  afterAll(async () => {
    await browser?.close()
    await media?.stop()
  })

  const renders = async (): Promise<StoredRender[]> => {
    const all = (await page.evaluate(() => chrome.storage.local.get('local-renders'))) as Record<
      string,
      { renders?: StoredRender[] }
    >
    return all['local-renders']?.renders ?? []
  }
  const renderOf = async (jobId: string) => (await renders()).find((r) => r.job.jobId === jobId)
  const send = (msg: unknown) =>
    page.evaluate((m) => chrome.runtime.sendMessage(m), msg) as Promise<{
      ok: boolean
      jobIds?: string[]
      url?: string
      message?: string
    }>
  const access = (sessionId: string) => ({ workerUrl: env.workerUrl, sessionId })

  async function renderHere(preset: ExportPreset, timeline: Timeline): Promise<string> {
    const reply = await send({
      type: 'render-here',
      sessionId: 'ses_renderhere000000000001',
      presets: [preset],
      timeline,
      title: 'Local render',
    })
    expect(reply.ok).toBe(true)
    return reply.jobIds![0]!
  }

  for (const preset of ['16:9', '9:16', '1:1'] as const) {
    it(`${preset}: an H.264 MP4 at the preset's size with sound, frame for frame what the compositor draws`, async () => {
      const timeline = shortDraft(media.url, 2000)
      const before = (await listDownloads(browser)).map((d) => d.id)
      const jobId = await renderHere(preset, timeline)
      const done = await waitFor(
        'the render to complete',
        async () => {
          const r = await renderOf(jobId)
          if (r?.job.status === 'failed') throw new Error(`render failed: ${JSON.stringify(r.job)}`)
          return r?.job.status === 'completed' ? r : undefined
        },
        120_000,
      )
      expect(done.size).toBeGreaterThan(0)
      await waitForNotification(browser, (n) => n.id === `job:${jobId}`)
      expect((await send({ type: 'render-here-download', jobId })).ok).toBe(true)
      const file = (await waitForNewDownload(browser, before)).filename
      expect(file.endsWith(`${preset.replace(':', 'x')}.mp4`)).toBe(true)

      const info = await probeVideo(file)
      const size = PRESET_SIZES[preset]
      expect(info).toMatchObject({ codec: 'h264', width: size.width, height: size.height })
      expect(Math.abs(info.durationSec - timeline.durationMs / 1000)).toBeLessThanOrEqual(1 / FPS)
      const kinds = await streams(file)
      expect(kinds.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).toEqual([
        done.audioCodec,
      ])
      // Every frame, once, in order, one frame time apart.
      const times = await frameTimes(file)
      expect(times).toHaveLength((timeline.durationMs / 1000) * FPS)
      times.forEach((t, i) => expect(t).toBeCloseTo(i / FPS, 3))
      // The sound is whole: the tone in every 100 ms until the music's 1 s fade-out, no gap where
      // one window of the mix or one sample handed to the encoder ends and the next begins.
      const levels = await soundLevels(file, 0.1)
      expect(levels.length).toBeGreaterThanOrEqual(19)
      const full = levels.slice(1, 10)
      expect(Math.min(...full)).toBeGreaterThan(0.01)
      expect(Math.max(...full) / Math.min(...full)).toBeLessThan(1.1)
      for (const l of levels.slice(10, 18)) expect(l).toBeGreaterThan(Math.min(...full) * 0.1)

      // Frame 15 (0.5 s: mid pan and zoom, title on screen) against the compositor's own still.
      const timeMs = 500
      const still = await send({
        type: 'render-here-query',
        command: {
          type: 'renderer-still',
          ...size,
          timeline,
          timeMs,
          access: access('ses_renderhere000000000001'),
        },
      })
      expect(still.ok).toBe(true)
      const png = join(env.workDir, `still-${preset.replace(':', 'x')}.png`)
      await writeFile(png, Buffer.from(still.url!.split(',')[1]!, 'base64'))
      const reference = await rgbThumb(['-i', png], `${png}.rgb`)
      const encoded = await rgbThumb(['-ss', String(timeMs / 1000), '-i', file], `${file}.rgb`)
      expect(meanAbsDiff(reference, encoded)).toBeLessThan(6)
      // A frame from the other photo differs clearly: the comparison can fail.
      const later = await rgbThumb(['-ss', '1.5', '-i', file], `${file}.later.rgb`)
      expect(meanAbsDiff(reference, later)).toBeGreaterThan(15)
    })
  }

  it('cancel stops the render: no file, no download, the job ends cancelled and the next one runs', async () => {
    const before = (await listDownloads(browser)).map((d) => d.id)
    const jobId = await renderHere('16:9', shortDraft(media.url, 30_000))
    await waitFor(
      'the render to make progress',
      async () => ((await renderOf(jobId))?.job.progress ?? 0) > 0,
      60_000,
    )
    expect((await send({ type: 'render-here-cancel', jobId })).ok).toBe(true)
    await expect.poll(async () => (await renderOf(jobId))?.job.status).toBe('cancelled')
    // The renderer keeps no file for it, and nothing was downloaded.
    await expect
      .poll(
        async () =>
          (await send({ type: 'render-here-query', command: { type: 'renderer-file-url', jobId } }))
            .ok,
      )
      .toBe(false)
    expect((await listDownloads(browser)).filter((d) => !before.includes(d.id))).toEqual([])
    expect(await send({ type: 'render-here-download', jobId })).toMatchObject({ ok: false })
    // Not stuck: the renderer is free for the next render.
    const next = await renderHere('1:1', shortDraft(media.url, 1000))
    await waitFor(
      'the next render to complete',
      async () => (await renderOf(next))?.job.status === 'completed',
      120_000,
    )
  })
})

describe('export here when the plan refuses the cloud export (402)', () => {
  const env = e2e()
  let browser: TestBrowser
  let tour: Tour
  let messages: Messages

  beforeAll(async () => {
    messages = new Messages(env.extensionDir)
    browser = await openBrowser('render-here-402')
    await recordNotifications(browser)
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages, shotsDir: screenshotsDir() })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('"Export here" in the plan notice ends with a playable MP4 on disk and no backend render call', async () => {
    const site = await tour.openSite()
    await tour.addImage(site, '#hero')
    await tour.addImage(site, '#meadow')
    const popup = await tour.openPopup()
    await tour.makeVideo(popup)
    await tour.waitForReplyDone(popup, 1)
    await tour.waitForTimeline(popup)
    await tour.exportPresets(popup, ['1:1'])
    const notice = popup
      .locator('details.panel .notice-error')
      .filter({ hasText: describeError('plan_required').message.en })
      .first()
    await notice.waitFor({ timeout: 30_000 })
    const rendersAsked = (await env.sim.log()).filter((e) =>
      e.endpoint?.startsWith('render-'),
    ).length
    await notice.getByRole('button', { name: messages.text('ui_export_here') }).click()

    const row = popup
      .locator('.jobs .job')
      .filter({ hasText: messages.text('ui_job_here') })
      .first()
    await row.waitFor()
    await tour.shot(popup.locator('details.panel').last(), 'export-here')
    await row
      .getByRole('button', { name: messages.text('ui_job_download') })
      .waitFor({ timeout: 180_000 })
    // The popup may close: the render lives in the offscreen document, the file on disk.
    await popup.close()
    const before = (await listDownloads(browser)).map((d) => d.id)
    const again = await tour.openPopup()
    const done = again
      .locator('.jobs .job')
      .filter({ hasText: messages.text('ui_job_here') })
      .first()
    await done.getByRole('button', { name: messages.text('ui_job_download') }).click()
    const file = (await waitForNewDownload(browser, before)).filename
    const info = await probeVideo(file)
    expect(info).toMatchObject({ codec: 'h264', width: 1080, height: 1080 })
    expect(info.durationSec).toBeGreaterThan(0)
    // Playable: ffmpeg decodes every frame without an error.
    await run('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-'])
    // No render was submitted, polled or downloaded at the backend for it.
    const renderCalls = (await env.sim.log()).filter((e) => e.endpoint?.startsWith('render-'))
    expect(renderCalls.length).toBe(rendersAsked)
    expect((await readdir(browser.downloadsDir)).filter((f) => f.endsWith('.mp4'))).toHaveLength(1)
  })
})
