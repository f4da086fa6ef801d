import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// The worker's tests run inside workerd with the real KV, Durable Objects and rate limiters of
// wrangler.toml; only the backend is replaced, by the simulator (see ./setup.ts).
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../../wrangler.toml' },
      miniflare: {
        bindings: {
          UPSTREAM_BASE_URL: 'http://nemo.sim',
          NEMO_WEB_BASE_URL: 'https://nemo.web.test',
          // Short waits so retry paths run in milliseconds, not the production 30 s.
          UPSTREAM_RETRY_AFTER_MS: '20',
          STILL_WORKING_INTERVAL_MS: '200',
          CHAT_DROP_CHECKS_MS: '30,30',
          // Export tests drive every render poll with runDurableObjectAlarm: alarms must lie far
          // in the future so Miniflare never fires one on its own in the middle of a test.
          RENDER_POLL_INTERVAL_MS: '600000',
          RENDER_MAX_AGE_MS: '3600000',
          UPLOAD_MAX_BYTES: '1048576',
          // A stalled upload is cut off in 2 s, not the production 30 s (long enough that a loaded
          // machine still gets another request in while stalled uploads hold their slots).
          STREAM_IDLE_TIMEOUT_MS: '2000',
          // Five uploads of one installation at once (reliability-concurrency), and no more.
          UPLOADS_CONCURRENT_MAX: '5',
          // The render answer's file URL: headers within half a second, then the token download.
          BACKEND_FILE_TIMEOUT_MS: '500',
          // Between the simulator's pictures (~2 KB) and its clip (~16 KB): the media cap is reachable.
          MEDIA_MAX_BYTES: '12000',
          // Upstream timeouts short enough that the reliability tests reach them in seconds.
          UPSTREAM_JSON_TIMEOUT_MS: '1500',
          UPSTREAM_STREAM_TIMEOUT_MS: '1500',
        },
      },
    }),
  ],
  test: {
    name: 'worker',
    include: ['./**/*.test.ts'],
    setupFiles: ['./setup.ts'],
    // workerd start-up and Durable Object round trips are slower than plain Node tests.
    testTimeout: 20_000,
  },
})
