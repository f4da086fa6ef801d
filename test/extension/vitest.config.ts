import { fileURLToPath } from 'node:url'
import preact from '@preact/preset-vite'
import { defineConfig } from 'vitest/config'
import { WxtVitest } from 'wxt/testing/vitest-plugin'
import { zodMiniAlias } from '../../wxt.config.ts'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

// Extension code runs against WXT's fake browser (`browser` is @webext-core/fake-browser) in a
// happy-dom page; fake-indexeddb stands in for the tray's image byte store.
export default defineConfig({
  root: repoRoot,
  plugins: [
    WxtVitest({ root: repoRoot }),
    preact({ prefreshEnabled: false, devToolsEnabled: false }),
  ],
  // The shared schemas run as the built extension runs them: on zod/mini.
  resolve: { alias: [zodMiniAlias] },
  test: {
    name: 'extension',
    include: ['test/extension/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['test/extension/setup.ts'],
    mockReset: true,
    restoreMocks: true,
    unstubGlobals: true,
  },
})
