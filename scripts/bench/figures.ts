/**
 * One benchmark figure, the table `npm run bench` ends with, and its JSON copy.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface Figure {
  /** What was measured, e.g. "chat: added time to first text, 200 streams". */
  name: string
  value: number
  unit: string
  /** Human-readable target, e.g. "≤ 5 ms". */
  target: string
  /** undefined: informational, no target. */
  met?: boolean
  /** How it was measured and what it compares with (ratio, baseline, sample size). */
  detail?: string
}

/** A benchmark's outcome: its figures, or why it could not run. */
export interface BenchResult {
  bench: string
  figures: Figure[]
  error?: string
  seconds: number
}

export function printTable(results: BenchResult[]): string {
  const rows: string[][] = [['figure', 'value', 'target', 'met']]
  for (const r of results) {
    if (r.error) rows.push([`${r.bench}: FAILED`, r.error.split('\n')[0]!.slice(0, 80), '', 'no'])
    for (const f of r.figures) {
      rows.push([f.name, `${f.value} ${f.unit}`.trim(), f.target, f.met === undefined ? '' : f.met ? 'yes' : 'NO'])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')
}

export async function writeArtifact(dir: string, results: BenchResult[], meta: Record<string, unknown>): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, JSON.stringify({ ...meta, results }, null, 2))
  return file
}
