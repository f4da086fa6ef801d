import { signal } from '@preact/signals'

type ErrorTable = typeof import('../../shared/errors/table.ts')

const table = signal<ErrorTable | undefined>(undefined, { name: 'errorTable' })
let loading: Promise<ErrorTable> | undefined

/**
 * Loads the shared error table (each code's message in English and Chinese, and its action) once.
 * It is not part of the popup's first paint (issue 14's budget): it loads as soon as the page is
 * idle, long before a request can fail, and a notice shown earlier re-renders when it arrives.
 */
export function loadErrorTable(): Promise<ErrorTable> {
  loading ??= import('../../shared/errors/table.ts').then(
    (m) => (table.value = m),
    (err: unknown) => {
      loading = undefined
      throw err
    },
  )
  return loading
}

/** The table once loaded (tracked when read in a render), starting the load otherwise. */
export function errorTable(): ErrorTable | undefined {
  if (!table.value) void loadErrorTable().catch(() => undefined)
  return table.value
}
