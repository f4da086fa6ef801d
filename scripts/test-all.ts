/**
 * Every vitest project, as `npm test` runs them: the browser suites in one process and everything
 * else in another, at the same time. The browser suites spend most of their time waiting on the
 * simulator's real pace, so on a 2-core machine the workerd and DOM projects run in that time
 * instead of after it. Exits non-zero when either run fails.
 * One project alone: `npm exec -- vitest run --project <name>`.
 * @module
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json')
const vitest = join(dirname(vitestPackage), 'vitest.mjs')
const runs = [
  ['--project', '!e2e'],
  ['--project', 'e2e'],
]

const codes = await Promise.all(
  runs.map(
    (args) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [vitest, 'run', ...args], {
          stdio: 'inherit',
        })
        child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)))
        child.on('error', () => resolve(1))
      }),
  ),
)
process.exit(codes.every((code) => code === 0) ? 0 : 1)
