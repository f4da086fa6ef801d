import 'fake-indexeddb/auto'
import { beforeAll } from 'vitest'

// What the build loads lazily is loaded before each file's tests, as a page has it moments after
// its first paint: the bundled messages (WXT's fake browser has no i18n messages, so t() reads
// them) and the full error notice with its table. Imported in a hook: by then WXT's setup has
// installed the fake browser.
beforeAll(async () => {
  const { loadMessages } = await import('../../extension/utils/i18n.ts')
  const { loadErrorNotice } = await import('../../extension/components/ErrorNotice.tsx')
  await Promise.all([loadMessages('en'), loadMessages('zh'), loadErrorNotice()])
})
