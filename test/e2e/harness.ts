import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'
import { launchExtensionBrowser, type ExtensionBrowser } from './lib/browser.ts'
import { SimControl } from '../simulator/http-control.ts'
import { SITE_ORIGIN_PATTERN } from '../../scripts/lib/stack.ts'
import type { E2eEnv } from './env.ts'

/** The stack ./global-setup.ts started, and the simulator's control API. */
export function e2e(): E2eEnv & { sim: SimControl } {
  const env = inject('e2e')
  return { ...env, sim: new SimControl(env.simUrl) }
}

export interface TestBrowser extends ExtensionBrowser {
  /** This browser's own download directory. */
  downloadsDir: string
  /** The same profile, relaunched: a browser restart. */
  restart(): Promise<TestBrowser>
}

/**
 * Chromium with the built extension on a fresh profile: a new user, so a new installation on the
 * worker. Each test file gets its own downloads folder.
 */
export async function openBrowser(
  label = 'user',
  opts: { grantSiteAccess?: boolean } = {},
): Promise<TestBrowser> {
  const env = inject('e2e')
  const id = `${label}-${randomUUID().slice(0, 8)}`
  const userDataDir = join(env.workDir, 'profiles', id)
  const downloadsDir = join(env.workDir, 'downloads', id)
  const launch = async (): Promise<TestBrowser> => {
    const browser = await launchExtensionBrowser({
      extensionDir: env.extensionDir,
      userDataDir,
      downloadsDir,
      // The user accepted the site-access prompt for the demo site earlier (see browser.ts).
      grantOrigins: opts.grantSiteAccess === false ? [] : [SITE_ORIGIN_PATTERN],
    })
    return {
      ...browser,
      downloadsDir,
      async restart() {
        await browser.close()
        return await launch()
      },
    }
  }
  return await launch()
}

/**
 * Where the suite's screenshots go: the README's `docs/screenshots/` when UPDATE_SCREENSHOTS=1,
 * else the run's temp folder (so a normal run never rewrites tracked images).
 */
export function screenshotsDir(): string {
  return process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
    : join(inject('e2e').workDir, 'screenshots')
}

/** Restarts the worker (workerd) on the same port with the same Durable Object and KV state. */
export async function restartWorker(): Promise<void> {
  const res = await fetch(`${inject('e2e').harnessUrl}/worker/restart`, { method: 'POST' })
  if (!res.ok) throw new Error(`worker restart failed: ${await res.text()}`)
}
