/**
 * The popup's size budget (issue 14), run by `npm run build` on the Chrome build: the JavaScript
 * popup.html loads before its first paint (its scripts, modulepreloads and their static imports,
 * gzipped) must stay within POPUP_GZIP_BUDGET_BYTES, or the build fails. What loads lazily does not
 * count. Usage: `node scripts/check-popup-size.ts [extension dir]` (default `.output/chrome-mv3`).
 * @module
 */
import { firstPaintScripts, POPUP_GZIP_BUDGET_BYTES, totalOf } from './lib/popup-size.ts'

const dir = process.argv[2] ?? '.output/chrome-mv3'
const scripts = await firstPaintScripts(dir, 'popup.html')
const { raw, gzip } = totalOf(scripts)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const files = scripts.map((f) => `${f.file} ${kb(f.gzip)}`).join(', ')
const line = `popup first paint: ${kb(gzip)} gzip (${kb(raw)} raw) of ${kb(POPUP_GZIP_BUDGET_BYTES)}`
if (gzip > POPUP_GZIP_BUDGET_BYTES) {
  console.error(`${line}: over budget. ${files}`)
  console.error('Load what the first paint does not need with import() (see README, Performance).')
  process.exitCode = 1
} else {
  console.log(`${line}. ${files}`)
}
