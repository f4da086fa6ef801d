/**
 * The whole local system on 127.0.0.1, as the e2e suite and `npm run demo` use it: the NemoVideo
 * simulator (unless a real backend is given), the worker under workerd, the extension built against
 * that worker, and a page server with the demo site. Everything it starts, `stop()` stops.
 * @module
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../test/simulator/serve.ts'
import type { SimulatorConfigPatch } from '../../test/simulator/index.ts'
import { launchExtensionBrowser, type ExtensionBrowser } from '../../test/e2e/lib/browser.ts'
import { buildExtension } from '../../test/e2e/lib/extension-build.ts'
import {
  startNemoWebStandIn,
  startPageServer,
  type PageServer,
} from '../../test/e2e/lib/page-server.ts'
import { freePort } from './ports.ts'
import { killGroupsOnExit } from './processes.ts'
import { startWorker, type RunningWorker } from './worker.ts'

export interface StackOptions {
  /** A real backend: no simulator is started and `sim` is undefined. */
  upstreamBaseUrl?: string
  /** Simulator config (fast turns and renders for tests). */
  simulator?: SimulatorConfigPatch
  /** Worker `[vars]` overrides. */
  workerVars?: Record<string, string>
  /** Where profiles, downloads, logs and the build go; a temp dir by default (removed on stop). */
  workDir?: string
  /** Keep `workDir` after stop (the demo's artifacts). */
  keepWorkDir?: boolean
}

export interface Stack {
  workDir: string
  sim?: RunningSimulator
  /** NemoVideo's web app: a local stand-in with the simulator, else undefined (the real one). */
  nemoWeb?: PageServer
  worker: RunningWorker
  site: PageServer
  extensionDir: string
  downloadsDir: string
  /**
   * Launches Chromium with the extension on the profile `name` (same name = same profile). The
   * demo site's origin is granted unless `grantSiteAccess` is false (see browser.ts).
   */
  launchBrowser(
    name?: string,
    opts?: { headed?: boolean; grantSiteAccess?: boolean },
  ): Promise<ExtensionBrowser>
  stop(): Promise<void>
}

/** The demo site's origin as a host permission pattern (any port). */
export const SITE_ORIGIN_PATTERN = 'http://127.0.0.1/*'

/** Worker settings that make a local run quick: 1 s render polling, a 3 s "still working"… */
export const FAST_WORKER_VARS: Record<string, string> = {
  RENDER_POLL_INTERVAL_MS: '1000',
  STILL_WORKING_INTERVAL_MS: '3000',
  UPSTREAM_RETRY_AFTER_MS: '1000',
  // After a dropped chat stream the worker reads the state at these delays (30 s, 60 s… live).
  CHAT_DROP_CHECKS_MS: '500,1000,1000',
}

/** Simulator settings for a local run: short turns and a 3 s render. */
export const FAST_SIMULATOR: SimulatorConfigPatch = {
  timeScale: 0.05,
  render: { mode: 'time', durationMs: 3000 },
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  killGroupsOnExit()
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'pagereel-e2e-')))
  await mkdir(workDir, { recursive: true })
  const downloadsDir = join(workDir, 'downloads')
  const stoppers: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined)
    stoppers.length = 0
    if (!options.keepWorkDir) await rm(workDir, { recursive: true, force: true })
  }
  try {
    let sim: Stack['sim']
    let upstream = options.upstreamBaseUrl
    if (!upstream) {
      const running = await startSimulator({ config: { ...FAST_SIMULATOR, ...options.simulator } })
      stoppers.push(() => running.stop())
      sim = running
      upstream = running.url
    }
    const site = await startPageServer()
    stoppers.push(() => site.stop())
    const nemoWeb = sim ? await startNemoWebStandIn() : undefined
    if (nemoWeb) stoppers.push(() => nemoWeb.stop())
    // The worker's port is fixed first so the extension can be built against it while it starts.
    const workerPort = await freePort()
    const [workerResult, buildResult] = await Promise.allSettled([
      startWorker({
        upstreamBaseUrl: upstream,
        port: workerPort,
        persistTo: join(workDir, 'worker-state'),
        vars: {
          ...FAST_WORKER_VARS,
          // With the simulator, NemoVideo's web app (register, open in editor) is a local page.
          ...(nemoWeb && { NEMO_WEB_BASE_URL: nemoWeb.url.replace(/\/$/, '') }),
          ...options.workerVars,
        },
        logFile: join(workDir, 'worker.log'),
      }),
      buildExtension({
        workerUrl: `http://127.0.0.1:${workerPort}`,
        outDir: join(workDir, 'extension'),
      }),
    ])
    if (workerResult.status === 'fulfilled') stoppers.push(() => workerResult.value.stop())
    if (workerResult.status === 'rejected') throw workerResult.reason
    if (buildResult.status === 'rejected') throw buildResult.reason
    const worker = workerResult.value
    const extensionDir = buildResult.value
    const browsers = new Set<ExtensionBrowser>()
    stoppers.push(async () => {
      for (const b of browsers) await b.close().catch(() => undefined)
    })
    return {
      workDir,
      sim,
      nemoWeb,
      worker,
      site,
      extensionDir,
      downloadsDir,
      async launchBrowser(name = 'default', opts = {}) {
        const browser = await launchExtensionBrowser({
          extensionDir,
          userDataDir: join(workDir, 'profiles', name),
          downloadsDir,
          headed: opts.headed,
          grantOrigins: opts.grantSiteAccess === false ? [] : [SITE_ORIGIN_PATTERN],
        })
        browsers.add(browser)
        const close = browser.close
        browser.close = async () => {
          browsers.delete(browser)
          await close()
        }
        return browser
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
