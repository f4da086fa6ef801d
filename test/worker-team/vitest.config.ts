import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// The worker as a private deployment: its own NemoVideo token (NEMO_TOKEN) and an invite secret
// (REGISTRATION_CODE), with a Turnstile check on. The tests live beside the worker's own
// (test/worker/team/*.team-test.ts) and share its helpers and setup; only the bindings differ.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../../wrangler.toml' },
      miniflare: {
        bindings: {
          UPSTREAM_BASE_URL: 'http://nemo.sim',
          NEMO_WEB_BASE_URL: 'https://nemo.web.test',
          UPSTREAM_RETRY_AFTER_MS: '20',
          RENDER_POLL_INTERVAL_MS: '600000',
          NEMO_TOKEN: 'nmv_usr_team0000deployment0000token',
          REGISTRATION_CODE: 'open sesame 42',
          TURNSTILE_SECRET: 'turnstile-test-secret',
          TURNSTILE_VERIFY_URL: 'http://nemo.sim/__sim/turnstile/siteverify',
        },
      },
    }),
  ],
  test: {
    name: 'worker-team',
    include: ['../worker/team/**/*.team-test.ts'],
    setupFiles: ['../worker/setup.ts'],
    testTimeout: 20_000,
  },
})
