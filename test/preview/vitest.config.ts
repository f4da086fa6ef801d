import { defineProject } from 'vitest/config'

// The compositor and the mixer need a real canvas, video decoder and OfflineAudioContext: these
// tests bundle extension/preview with esbuild and run it in Debian's headless Chromium (one
// browser per file, no extension, no stack).
export default defineProject({
  test: {
    name: 'preview',
    include: ['./**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
