/**
 * `npm run demo`: the whole product in one command. Starts the NemoVideo simulator, the worker
 * under workerd and the page server on 127.0.0.1, builds the extension against that worker, opens
 * Chromium with it on a demo article and walks the tour: collect images, make the video, export
 * 9:16 and download it.
 *
 * - With DISPLAY set, the browser is a visible window and stays open after the tour (Ctrl-C ends).
 * - Without a display, the same tour runs headless and leaves its screenshots and the MP4 in
 *   `artifacts/demo-<timestamp>/`.
 * - UPSTREAM_BASE_URL=<backend> skips the simulator and talks to that backend (production:
 *   https://mega-api-prod.nemovideo.ai). Exports there need a NemoVideo API token
 *   (NEMO_API_TOKEN), since anonymous accounts cannot render.
 * @module
 */
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runDemoTour } from './lib/demo-tour.ts'
import { startStack } from './lib/stack.ts'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const stamp = new Date()
  .toISOString()
  .replace(/[:.]/g, '-')
  .replace(/-\d{3}Z$/, 'Z')
const outDir = join(ROOT, 'artifacts', `demo-${stamp}`)
const headed = Boolean(process.env.DISPLAY)
const upstream = process.env.UPSTREAM_BASE_URL

const log = (line: string) => console.log(`[demo] ${line}`)

await mkdir(outDir, { recursive: true })
log(upstream ? `backend: ${upstream} (no simulator)` : 'backend: the NemoVideo simulator')
log('starting the worker and building the extension…')
const stack = await startStack({
  ...(upstream && { upstreamBaseUrl: upstream }),
  simulator: { anonymousCredits: 5000 },
  // Profiles, build and worker log stay next to the screenshots if the tour fails.
  workDir: join(outDir, 'run'),
  keepWorkDir: true,
})
let stopping = false
/** Set once the tour has passed: the run's profiles and logs are then not worth keeping. */
let toured = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  await stack.stop()
  if (toured) await rm(stack.workDir, { recursive: true, force: true })
  process.exit(code)
}
process.once('SIGINT', () => void stop(toured ? 0 : 130))
process.once('SIGTERM', () => void stop(toured ? 0 : 143))

try {
  log(
    `worker ${stack.worker.url}, demo page ${stack.site.url}${stack.sim ? `, simulator ${stack.sim.url}` : ''}`,
  )
  const browser = await stack.launchBrowser('demo', { headed })
  const result = await runDemoTour({
    browser,
    siteUrl: stack.site.url,
    extensionDir: stack.extensionDir,
    shotsDir: outDir,
    log,
    ...(process.env.NEMO_API_TOKEN && { apiToken: process.env.NEMO_API_TOKEN }),
  })
  if (result.video) {
    const copy = join(outDir, basename(result.video.file))
    await copyFile(result.video.file, copy)
    log(`video: ${copy} (${result.video.codec} ${result.video.width}x${result.video.height})`)
  }
  toured = true
  log(`screenshots and video in ${outDir}`)
  if (headed) {
    log(
      'the browser stays open: try the context menus on the demo page. Ctrl-C (or closing it) stops everything.',
    )
    browser.context.on('close', () => void stop(0))
    await new Promise<never>(() => {})
  }
  await stop(0)
} catch (error) {
  console.error(error)
  log(`failed; the worker log and the browser profile are in ${stack.workDir}`)
  await stop(1)
}
