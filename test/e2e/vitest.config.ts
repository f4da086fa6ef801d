import { defineProject } from 'vitest/config'

// End-to-end: Debian's Chromium (the files here) and Debian's Firefox ESR (./firefox/) with the
// built extensions, the worker under workerd and the simulator, all on 127.0.0.1 and started once
// by ./global-setup.ts for both browsers. One browser at a time: the files share the simulator's
// faults and a 2-core machine.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['./**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // The UI and the background settle in their own time (storage events, a worker round trip).
    expect: { poll: { timeout: 15_000, interval: 100 } },
    // A flaky browser step is a bug to fix, not to retry.
    retry: 0,
  },
})
