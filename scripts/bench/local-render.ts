/**
 * The export on this device (issue 10), in Debian's headless Chromium with the built extension:
 * a 60 s 1080p30 video from 5 large pictures (4000×3000 JPEGs made with ffmpeg), a title and a
 * minute of music, rendered through the extension's own path (the `render-here` message, the
 * offscreen document, the compositor, the mixer, the encoder, the file on disk) until its job is
 * completed. Two sets of pictures, each rendered once:
 * - photos: what a camera gives, as far as the encoder can tell: a fractal, a test card, colour
 *   bars and two textures (noise upscaled from 160×120 and 500×375: clouds, foliage), each with
 *   fine grain; 1-3 MB JPEGs, as 12-megapixel photos are, and each holds 8 Mbit/s at 1080p.
 *   The budget's figures are theirs.
 * - stress: the same kinds of pattern under heavy noise (alls 8-24), two of them cellular-automaton
 *   patterns, 5-12 MB JPEGs: nearly incompressible, the last two overshoot 8 Mbit/s threefold at
 *   the encoder's coarsest quantiser. Reported, not budgeted: how the render slows on such pictures.
 * Figures: the wall time from the request to the completed job, its frames per second, the ratio
 * to a bare encode loop of the same 1,800 frames (the same pictures, decoded and sized beforehand,
 * moved as the compositor moves them; no titles, no cross-fades, no sound, no file: the encoder's
 * and the canvas's own limit) run in the same browser right after, and the peak resident memory of
 * the extension's renderer process during the renders.
 * @module
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { launchExtensionBrowser } from '../../test/e2e/lib/browser.ts'
import { startPageServer } from '../../test/e2e/lib/page-server.ts'
import { waitFor } from '../lib/wait.ts'
import type { Figure } from './figures.ts'
import { descendantsNamed, memoryOf, resetPeak } from './process-memory.ts'
import { round } from './stats.ts'

const run = promisify(execFile)
/** 60 s as the issue asks; LOCAL_RENDER_SECONDS shortens it for a quick look. */
const DURATION_MS = Number(process.env.LOCAL_RENDER_SECONDS ?? 60) * 1000
const FPS = 30
const SIZE = { width: 1920, height: 1080 }
const WALL_TARGET_S = 30
const RATIO_TARGET = 1.3
const PICTURES = 5

/** ffmpeg's input and filter for each set's pictures (see the module's comment). */
const SETS = {
  photos: [
    ['mandelbrot=size=4000x3000', 'noise=alls=6:allf=t'],
    ['testsrc2=size=4000x3000', 'noise=alls=6:allf=t'],
    [
      'color=gray:size=160x120',
      'noise=alls=90:allf=t,scale=4000:3000:flags=bicubic,noise=alls=6:allf=t',
    ],
    [
      'color=gray:size=500x375',
      'noise=alls=90:allf=t,scale=4000:3000:flags=bicubic,noise=alls=6:allf=t',
    ],
    ['smptehdbars=size=4000x3000', 'noise=alls=6:allf=t'],
  ],
  stress: ['mandelbrot', 'testsrc2', 'smptehdbars', 'life', 'cellauto'].map((src, i) => [
    `${src}=size=4000x3000`,
    `noise=alls=${8 + i * 4}:allf=t`,
  ]),
} satisfies Record<string, string[][]>
type PictureSet = keyof typeof SETS

/** ffmpeg, quiet, overwriting, from its generated sources (lavfi). */
const lavfi = (...args: string[]) => run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', ...args])

/** Each set's pictures (`<set>-<i>.jpg`) and a minute of music, on disk. */
async function makeMedia(dir: string): Promise<void> {
  await Promise.all(
    Object.entries(SETS).flatMap(([set, pictures]) =>
      pictures.map(([input, filter], i) =>
        lavfi(
          '-i',
          `${input}:rate=1`,
          '-vf',
          filter!,
          '-frames:v',
          '1',
          '-q:v',
          '3',
          join(dir, `${set}-${i}.jpg`),
        ),
      ),
    ),
  )
  await lavfi(
    '-i',
    'sine=frequency=220:duration=60',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:duration=60',
    '-filter_complex',
    'amix=inputs=2',
    '-ac',
    '2',
    '-ar',
    '44100',
    '-b:a',
    '192k',
    join(dir, 'music.mp3'),
  )
}

const pictureUrls = (mediaOrigin: string, set: PictureSet) =>
  Array.from({ length: PICTURES }, (_, i) => new URL(`${set}-${i}.jpg`, mediaOrigin).href)

/** The draft: the pictures in equal parts of `durationMs`, a title over the first 4 s, music. */
function timeline(mediaOrigin: string, set: PictureSet, durationMs = DURATION_MS) {
  const per = durationMs / PICTURES
  return {
    title: 'Bench',
    durationMs,
    tracks: [
      {
        kind: 'video',
        typeCode: 0,
        label: 'Video',
        segments: pictureUrls(mediaOrigin, set).map((sourceUrl, i) => ({
          label: `picture ${i}`,
          startMs: i * per,
          endMs: (i + 1) * per,
          sourceUrl,
          mediaKind: 'image',
        })),
      },
      {
        kind: 'text',
        typeCode: 7,
        label: 'Title',
        segments: [
          {
            label: 'Title',
            text: 'Sixty seconds, rendered here',
            startMs: 0,
            endMs: Math.min(4000, durationMs),
          },
        ],
      },
      {
        kind: 'audio',
        typeCode: 1,
        label: 'BGM',
        segments: [
          {
            label: 'music',
            startMs: 0,
            endMs: durationMs,
            sourceUrl: new URL('music.mp3', mediaOrigin).href,
            mediaKind: 'audio',
            volumePercent: 35,
          },
        ],
      },
    ],
  }
}

/** Chromium renderer processes that host extension pages (the offscreen document among them). */
async function extensionRenderers(): Promise<number[]> {
  const pids: number[] = []
  for (const pid of await descendantsNamed('chromium')) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes('--type=renderer') && cmdline.includes('--extension-process'))
      pids.push(pid)
  }
  return pids
}

export async function benchLocalRender(extensionDir: string): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pagereel-local-render-'))
  const media = await (async () => {
    await makeMedia(dir)
    return await startPageServer(dir)
  })()
  const browser = await launchExtensionBrowser({
    extensionDir,
    userDataDir: join(dir, 'profile'),
    downloadsDir: join(dir, 'downloads'),
    grantOrigins: ['http://127.0.0.1/*'],
  })
  try {
    const page = await browser.openExtensionPage('options.html')
    const send = (msg: unknown) =>
      page.evaluate((m) => chrome.runtime.sendMessage(m), msg) as Promise<{
        ok: boolean
        jobIds?: string[]
        ms?: number
        message?: string
      }>
    const status = async (jobId: string) => {
      const all = (await page.evaluate(() => chrome.storage.local.get('local-renders'))) as Record<
        string,
        { renders: Array<{ job: { jobId: string; status: string; error?: unknown } }> }
      >
      const job = all['local-renders']?.renders.find((r) => r.job.jobId === jobId)?.job
      if (job?.status === 'failed') throw new Error(`render failed: ${JSON.stringify(job.error)}`)
      return job?.status
    }
    /** One render through the extension's path, from the request to the completed job. */
    const render = async (what: string, draft: ReturnType<typeof timeline>, timeoutMs: number) => {
      const t0 = Date.now()
      const reply = await send({
        type: 'render-here',
        sessionId: 'ses_benchlocalrender00001',
        presets: ['16:9'],
        timeline: draft,
      })
      if (!reply.ok) throw new Error(`render-here refused: ${reply.message}`)
      await waitFor(
        what,
        async () => (await status(reply.jobIds![0]!)) === 'completed',
        timeoutMs,
        100,
      )
      return Date.now() - t0
    }
    const bareLoop = async (set: PictureSet) => {
      const bare = await send({
        type: 'render-here-query',
        command: {
          type: 'renderer-bare-encode',
          ...SIZE,
          fps: FPS,
          durationMs: DURATION_MS,
          imageUrls: pictureUrls(media.url, set),
        },
      })
      if (!bare.ok || !bare.ms) throw new Error(`bare encode failed: ${bare.message}`)
      return bare.ms
    }
    // A one-second render first: the offscreen document, the encoder's code and the codecs load,
    // so the timed renders measure the render.
    await render('the warm-up render', timeline(media.url, 'photos', 1000), 120_000)

    const renderers = await extensionRenderers()
    /** The renderer's peak resident memory since the last reset, in MB. */
    const peakMb = async () => {
      const peaks = await Promise.all(
        renderers.map(async (pid) => (await memoryOf(pid).catch(() => ({ hwm: 0 }))).hwm),
      )
      return Math.max(0, ...peaks) / (1024 * 1024)
    }
    const runs = {} as Record<PictureSet, { wallMs: number; bareMs: number; peakMb: number }>
    for (const set of Object.keys(SETS) as PictureSet[]) {
      for (const pid of renderers) await resetPeak(pid)
      const wallMs = await render(`the ${set} render`, timeline(media.url, set), 600_000)
      runs[set] = { wallMs, peakMb: await peakMb(), bareMs: await bareLoop(set) }
    }

    const frames = (DURATION_MS / 1000) * FPS
    const fps = (ms: number) => round((frames * 1000) / ms)
    const { photos, stress } = runs
    const ratio = photos.wallMs / photos.bareMs
    return [
      {
        name: `local render: ${DURATION_MS / 1000} s 1080p30, wall time`,
        value: round(photos.wallMs / 1000),
        unit: 's',
        target: `≤ ${WALL_TARGET_S} s`,
        met: photos.wallMs / 1000 <= WALL_TARGET_S,
        detail: `5 photos 4000×3000, a title, music; request to completed job, ${fps(photos.wallMs)} fps`,
      },
      {
        name: 'local render: ratio to a bare encode loop',
        value: round(ratio),
        unit: '×',
        target: `≤ ${RATIO_TARGET}×`,
        met: ratio <= RATIO_TARGET,
        detail: `bare loop: the same ${frames} frames in ${round(photos.bareMs / 1000)} s (${fps(photos.bareMs)} fps), same browser, right after`,
      },
      {
        name: `local render: ${DURATION_MS / 1000} s 1080p30 from noise-heavy pictures, wall time`,
        value: round(stress.wallMs / 1000),
        unit: 's',
        target: 'informational',
        detail: `${fps(stress.wallMs)} fps; bare loop ${round(stress.bareMs / 1000)} s, ratio ${round(stress.wallMs / stress.bareMs)}×`,
      },
      {
        name: 'local render: extension renderer peak memory',
        value: round(photos.peakMb),
        unit: 'MB',
        target: 'informational',
        detail: `VmHWM of the extension renderer process(es) during the photos' render (reset before it); during the noise-heavy render ${round(stress.peakMb)} MB`,
      },
    ]
  } finally {
    await browser.close()
    await media.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
