/**
 * The reading primitives of the tolerant reader: a value at a dotted path, the first usable value
 * over ordered containers and paths. The key lists themselves live in ./keys.ts, and the order
 * they are tried in is the table of ../README.md.
 */
export type Rec = Record<string, unknown>

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value at `path` ("output.url", "files.0.url"); undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
  let here = value
  for (const step of path.split('.')) {
    if (Array.isArray(here) && /^\d+$/.test(step)) here = here[Number(step)]
    else if (isRecord(here)) here = here[step]
    else return undefined
  }
  return here
}

/**
 * The first value `read` accepts: containers in order (the innermost first), and within each
 * container the paths in order. Container-major, so a field under `data` beats any top-level one.
 */
export function pick<T>(
  containers: readonly unknown[],
  paths: readonly string[],
  read: (v: unknown) => T | undefined,
): T | undefined {
  for (const container of containers) {
    if (!isRecord(container)) continue
    for (const path of paths) {
      const found = read(at(container, path))
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** The records an answer may nest its fields in, innermost first: `data.<inner>`, `data`, the whole. */
export function nests(body: unknown, inner: readonly string[] = []): Rec[] {
  const data = isRecord(body) ? body.data : undefined
  const out: unknown[] = [
    ...inner.map((key) => at(data, key)),
    data,
    ...inner.map((key) => at(body, key)),
    body,
  ]
  return out.filter(isRecord)
}

/** A non-empty trimmed string. */
export const asText = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined

/** An id: a non-empty string, or an integer number given as one (19-digit ids must stay strings). */
export const asId = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : asText(v)

/** A finite number from a number or a numeric string. */
export const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** An absolute http(s) URL (a protocol-relative one gets https). */
export const asHttpUrl = (v: unknown): string | undefined => {
  const text = asText(v)
  if (!text) return undefined
  const url = text.startsWith('//') ? `https:${text}` : text
  return /^https?:\/\/[^\s/]+/i.test(url) ? url : undefined
}

/** A boolean, also from "true"/"false", 1/0. */
export const asFlag = (v: unknown): boolean | undefined => {
  if (typeof v === 'boolean') return v
  if (v === 1 || v === 'true' || v === '1') return true
  if (v === 0 || v === 'false' || v === '0') return false
  return undefined
}
