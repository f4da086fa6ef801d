/** Order statistics of a sample (ms or counts). */

export function median(values: number[]): number {
  return quantile(values, 0.5)
}

/** Linear interpolation between the closest ranks; NaN for an empty sample. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
}

/** Rounds for display: 2 decimals under 10, 1 under 100, whole numbers above. */
export function round(value: number): number {
  const abs = Math.abs(value)
  const digits = abs < 10 ? 100 : abs < 100 ? 10 : 1
  return Math.round(value * digits) / digits
}
