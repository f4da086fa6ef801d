/**
 * Builds the Chrome MV3 extension into a directory of its own with a given default worker URL
 * (`WXT_WORKER_URL`), so a test run never touches `.output/`. The build runs in a child process:
 * WXT's Vite must not share a process with Vitest's.
 * @module
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGroup } from '../../../scripts/lib/processes.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SELF = fileURLToPath(import.meta.url)

/** Builds into `outDir`; resolves with the unpacked extension's directory (has manifest.json). */
export async function buildExtension(opts: { workerUrl: string; outDir: string }): Promise<string> {
  const proc = startGroup(process.execPath, [SELF], {
    cwd: ROOT,
    env: { ...process.env, WXT_WORKER_URL: opts.workerUrl, EXT_OUT_DIR: opts.outDir },
  })
  while (!proc.exited()) await new Promise((r) => setTimeout(r, 100))
  const dir = join(opts.outDir, 'chrome-mv3')
  if (proc.exited() !== 'exited with 0' || !existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`extension build ${proc.exited()}:\n${proc.tail(60)}`)
  }
  return dir
}

if (import.meta.main) {
  const { build } = await import('wxt')
  await build({ root: ROOT, outDir: process.env.EXT_OUT_DIR, browser: 'chrome', mode: 'production' })
}
