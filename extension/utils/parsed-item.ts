import { z } from 'zod/mini'
import { storage, type StorageItemKey } from 'wxt/utils/storage'

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
 * Defines a versioned storage item parsed with `schema`: a value that no longer parses (an old
 * or hand-edited shape) reads as the fallback instead of breaking the extension.
 */
export function defineParsedItem<S extends z.core.$ZodType>(
  key: StorageItemKey,
  schema: S,
  fallback: z.infer<S>,
): ParsedItem<z.infer<S>> {
  type T = z.infer<S>
  const item = storage.defineItem<unknown>(key, { fallback, version: 1 })
  const parse = (raw: unknown): T => {
    const parsed = z.safeParse(schema, raw)
    return parsed.success ? parsed.data : fallback
  }
  return {
    key,
    fallback,
    getValue: async () => parse(await item.getValue()),
    setValue: async (value) => item.setValue(z.parse(schema, value)),
    async update(change) {
      const next = z.parse(schema, change(parse(await item.getValue())))
      await item.setValue(next)
      return next
    },
    removeValue: () => item.removeValue(),
    watch: (cb) => item.watch((raw) => cb(parse(raw))),
  }
}
