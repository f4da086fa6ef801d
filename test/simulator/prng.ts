/** A small seeded PRNG (mulberry32): the same seed gives the same replies, splits and silences. */
export interface Prng {
  /** In [0, 1). */
  next(): number
  /** Integer in [min, max]. */
  int(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
}

export function createPrng(seed: number): Prng {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  }
}

/** FNV-1a over a string, to derive per-session seeds. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/** FNV-1a continued over bytes, for upload hashes computed as the bytes stream by. */
export function hashBytes(h: number, bytes: Uint8Array): number {
  let x = h >>> 0
  for (let i = 0; i < bytes.length; i++) {
    x ^= bytes[i] as number
    x = Math.imul(x, 0x01000193) >>> 0
  }
  return x
}
