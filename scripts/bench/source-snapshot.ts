/**
 * The code under measurement, copied once from a commit (HEAD by default) into a temporary
 * directory: the checkout is shared and edited while the bench runs, and the worker is rebuilt on
 * restart, so both the worker and the extension are built from this copy, and every figure belongs
 * to one commit. node_modules is the checkout's (a symlink).
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { startGroup } from '../lib/processes.ts'

export interface SourceSnapshot {
  dir: string
  /** The commit's full hash. */
  revision: string
}

/** `git archive <rev>` of the whole tree into `dir`. */
export function snapshotCommit(root: string, dir: string, rev = 'HEAD'): SourceSnapshot {
  const commit = execFileSync('git', ['rev-parse', rev], { cwd: root, encoding: 'utf8' }).trim()
  mkdirSync(dir, { recursive: true })
  const archive = spawnSync('git', ['archive', '--format=tar', commit], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  })
  if (archive.status !== 0) throw new Error(`git archive: ${archive.stderr.toString()}`)
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout })
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr.toString()}`)
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  return { dir, revision: commit }
}

/** Builds the snapshot's Chrome MV3 extension against `workerUrl`, as test/e2e/lib/extension-build.ts does. */
export async function buildSnapshotExtension(
  src: string,
  workerUrl: string,
  outDir: string,
): Promise<string> {
  const proc = startGroup(process.execPath, [join(src, 'test/e2e/lib/extension-build.ts')], {
    cwd: src,
    env: { ...process.env, WXT_WORKER_URL: workerUrl, EXT_OUT_DIR: outDir },
  })
  while (!proc.exited()) await new Promise((r) => setTimeout(r, 100))
  const dir = join(outDir, 'chrome-mv3')
  if (proc.exited() !== 'exited with 0' || !existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`extension build ${proc.exited()}:\n${proc.tail(60)}`)
  }
  return dir
}
