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
      rows.push([
        f.name,
        `${f.value} ${f.unit}`.trim(),
        f.target,
        f.met === undefined ? '' : f.met ? 'yes' : 'NO',
      ])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [
    line(rows[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n')
}

export async function writeArtifact(
  dir: string,
  results: BenchResult[],
  meta: Record<string, unknown>,
): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, JSON.stringify({ ...meta, results }, null, 2))
  return file
}

/** Issue 14's budgets: which figure holds each (by the start of its name) and where it comes from. */
const BUDGETS: Array<{ budget: string; figure: string; bench: string }> = [
  {
    budget: 'popup JS before first paint',
    figure: 'extension: popup JS before first paint',
    bench: 'extension',
  },
  {
    budget: 'popup open -> chat usable (median)',
    figure: 'extension: popup open to chat usable, median',
    bench: 'extension',
  },
  { budget: "preview's first frame (median)", figure: 'preview: first frame', bench: 'preview' },
  {
    budget: 'worker CPU per relayed turn (process, net)',
    figure: 'chat: worker CPU per relayed turn, 200',
    bench: 'chat',
  },
  {
    budget: 'worker CPU per relayed event (process, net)',
    figure: 'chat: worker CPU per relayed event, 200',
    bench: 'chat',
  },
  {
    budget: 'worker JS per relayed turn (engine)',
    figure: 'chat: worker JS per relayed turn',
    bench: 'chat',
  },
  {
    budget: 'worker JS per relayed event (engine)',
    figure: 'chat: worker JS per relayed event',
    bench: 'chat',
  },
  {
    budget: 'added time to first text at 200 streams',
    figure: 'chat: added time to first text, 200',
    bench: 'chat',
  },
  {
    budget: 'added time per event at 200 streams',
    figure: 'chat: added time per event, 200',
    bench: 'chat',
  },
  {
    budget: 'added time to first text, highest concurrency not saturated',
    figure: 'chat: added time to first text, highest',
    bench: 'chat',
  },
  {
    budget: 'added time per event, highest concurrency not saturated',
    figure: 'chat: added time per event, highest',
    bench: 'chat',
  },
  {
    budget: 'text latency median, 1 stream',
    figure: 'chat: text latency worker -> client, median, 1 stream',
    bench: 'chat',
  },
  {
    budget: 'text latency p99, 1 stream',
    figure: 'chat: text latency worker -> client, p99, 1 stream',
    bench: 'chat',
  },
  {
    budget: 'text latency p99, 200 streams',
    figure: 'chat: text latency worker -> client, p99, 200',
    bench: 'chat',
  },
  {
    budget: 'local render 60 s 1080p30, wall',
    figure: 'local render: 60 s 1080p30, wall time',
    bench: 'local-render',
  },
  {
    budget: 'local render vs bare encode loop',
    figure: 'local render: ratio to a bare encode loop',
    bench: 'local-render',
  },
]

/**
 * The budgets of issue 14 in one table, whichever benchmarks measured them: a budget whose figure
 * is missing says why (not run, failed, or not measured by this version of its benchmark).
 */
export function printBudgets(results: BenchResult[]): string {
  const figures = results.flatMap((r) => r.figures)
  const rows: string[][] = [['budget', 'value', 'target', 'met']]
  for (const b of BUDGETS) {
    const f = figures.find((x) => x.name.startsWith(b.figure))
    const result = results.find((r) => r.bench === b.bench)
    if (f) {
      // Where the figure was taken, when its name says (the concurrency, the machine saturated).
      const where = /\([^()]*%[^()]*\)$/.exec(f.name.slice(b.figure.length))?.[0]
      rows.push([
        where ? `${b.budget} ${where}` : b.budget,
        `${f.value} ${f.unit}`.trim(),
        f.target,
        f.met === undefined ? '' : f.met ? 'yes' : 'NO',
      ])
    } else {
      const why = !result ? 'not run' : result.error ? 'benchmark failed' : 'not measured'
      rows.push([b.budget, why, '', ''])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [
    line(rows[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n')
}
