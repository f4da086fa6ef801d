import { readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { gzipSync } from 'node:zlib'

/** One script file of a built extension page, with its raw and gzipped (zlib default) sizes. */
export interface ScriptSize {
  file: string
  raw: number
  gzip: number
}

/** The popup's budget: JavaScript loaded before its first paint, gzipped (issue 14). */
export const POPUP_GZIP_BUDGET_BYTES = 45 * 1024

/**
 * The JavaScript an extension page loads before its first paint: its module scripts, its
 * modulepreloads and, recursively, their static imports. Dynamic `import()`s are left out (Vite
 * loads them when the code asks): what only one action needs can load lazily.
 * @example await firstPaintScripts('.output/chrome-mv3', 'popup.html')
 */
export async function firstPaintScripts(dir: string, page: string): Promise<ScriptSize[]> {
  const html = await readFile(join(dir, page), 'utf8')
  const queue = [
    ...[...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ].map((p) => p.replace(/^\//, ''))
  const seen = new Map<string, ScriptSize>()
  while (queue.length) {
    const file = posix.normalize(queue.shift()!)
    if (seen.has(file)) continue
    const bytes = await readFile(join(dir, file))
    seen.set(file, { file, raw: bytes.length, gzip: gzipSync(bytes).length })
    // Minified static imports only: `import{a as b}from"./x.js"`, `export*from"./x.js"`,
    // `import"./x.js"`; not `import("./x.js")`.
    const text = bytes.toString('utf8')
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      queue.push(posix.join(posix.dirname(file), m[1]!))
    }
  }
  return [...seen.values()]
}

/** Sums of a set of scripts' sizes. */
export function totalOf(scripts: readonly ScriptSize[]): { raw: number; gzip: number } {
  return scripts.reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), {
    raw: 0,
    gzip: 0,
  })
}
