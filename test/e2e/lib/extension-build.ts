/**
 * Builds the Chrome and Firefox MV3 extensions into a directory of their own with a given default
 * worker URL (`WXT_WORKER_URL`), so a test run never touches `.output/`. The build runs in a child process:
 * WXT's Vite must not share a process with Vitest's.
 * @module
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGroup } from '../../../scripts/lib/processes.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SELF = fileURLToPath(import.meta.url)

/**
 * Builds both browsers' extensions into `outDir`; resolves with the unpacked Chrome build's
 * directory (has manifest.json). The Firefox build is its sibling: see `firefoxBuildOf`.
 */
export async function buildExtension(opts: { workerUrl: string; outDir: string }): Promise<string> {
  const proc = startGroup(process.execPath, [SELF], {
    cwd: ROOT,
    env: {
      ...process.env,
      WXT_WORKER_URL: opts.workerUrl,
      // The picker's shadow root stays open in these builds only: Playwright cannot enter a closed one.
      WXT_PICKER_SHADOW: 'open',
      EXT_OUT_DIR: opts.outDir,
      EXT_BROWSERS: 'chrome,firefox',
    },
  })
  while (!proc.exited()) await new Promise((r) => setTimeout(r, 100))
  const dir = join(opts.outDir, 'chrome-mv3')
  const built = [dir, firefoxBuildOf(dir)].every((d) => existsSync(join(d, 'manifest.json')))
  if (proc.exited() !== 'exited with 0' || !built) {
    throw new Error(`extension build ${proc.exited()}:\n${proc.tail(60)}`)
  }
  return dir
}

/** The Firefox MV3 build made beside the Chrome build in `chromeDir`. */
export function firefoxBuildOf(chromeDir: string): string {
  return join(dirname(chromeDir), 'firefox-mv3')
}

if (import.meta.main) {
  const { build } = await import('wxt')
  // Chrome only unless asked: the bench's snapshot builds measure the Chrome extension.
  for (const browser of (process.env.EXT_BROWSERS ?? 'chrome').split(',')) {
    await build({ root: ROOT, outDir: process.env.EXT_OUT_DIR, browser, mode: 'production' })
  }
}
