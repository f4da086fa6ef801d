import { browser, type Browser } from 'wxt/browser'
import { z } from 'zod/mini'
import { forgetStartValue, startValue } from './start-read.ts'

/** Every item of the extension lives in `storage.local`: `local:<name>`, stored under `<name>`. */
export type StorageItemKey = `local:${string}`

/** A storage item whose value is parsed with its schema on every read and before every write. */
export interface ParsedItem<T> {
  readonly key: StorageItemKey
  readonly fallback: T
  getValue(): Promise<T>
  setValue(value: T): Promise<void>
  /** Read, change, write. Not atomic across extension contexts: keep each writer's changes small. */
  update(change: (current: T) => T): Promise<T>
  removeValue(): Promise<void>
  /** Calls back with the parsed new value on every change, from any extension context. */
  watch(cb: (value: T) => void): () => void
}

/**
 * Defines a storage item parsed with `schema`: a value that no longer parses (an old
 * or hand-edited shape) reads as the fallback instead of breaking the extension.
 */
export function defineParsedItem<S extends z.core.$ZodType>(
  key: StorageItemKey,
  schema: S,
  fallback: z.infer<S>,
): ParsedItem<z.infer<S>> {
  type T = z.infer<S>
  // storage.local directly (no storage library): the same keys WXT's storage used, and what the
  // popup loads before its first paint stays small (issue 14).
  const name = key.slice('local:'.length)
  const parse = (raw: unknown): T => {
    if (raw === undefined || raw === null) return fallback
    const parsed = z.safeParse(schema, raw)
    return parsed.success ? parsed.data : fallback
  }
  const get = async () => (await browser.storage.local.get(name))[name]
  // At the page's start, answered by the read the page's first script made (start-read.ts).
  const read = async () => {
    const early = startValue(name)
    return parse(early ? await early.catch(() => get()) : await get())
  }
  const write = async (value: unknown) => {
    forgetStartValue(name)
    // Nothing stored reads as the fallback, as a null would.
    if (value === undefined || value === null) await browser.storage.local.remove(name)
    else await browser.storage.local.set({ [name]: value })
  }
  return {
    key,
    fallback,
    getValue: read,
    setValue: async (value) => write(z.parse(schema, value)),
    async update(change) {
      const next = z.parse(schema, change(await read()))
      await write(next)
      return next
    },
    removeValue: () => {
      forgetStartValue(name)
      return browser.storage.local.remove(name)
    },
    watch(cb) {
      const listener = (changes: Record<string, Browser.storage.StorageChange>) => {
        const change = changes[name]
        // A write of an equal value is no change (some browsers report it anyway).
        if (!change || JSON.stringify(change.newValue) === JSON.stringify(change.oldValue)) return
        cb(parse(change.newValue))
      }
      browser.storage.local.onChanged.addListener(listener)
      return () => browser.storage.local.onChanged.removeListener(listener)
    },
  }
}
