import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// The simulator inside workerd, as the worker tests use it: `npm exec -- vitest run --root test/simulator/workerd`.
// (The `simulator` project runs the same file in Node.)
export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: { compatibilityDate: '2026-10-01', compatibilityFlags: ['enable_request_signal'] },
    }),
  ],
  test: { name: 'simulator-workerd', include: ['./*.test.ts'] },
})
