import type { InstallationRecord } from './installations/record.ts'

/**
 * The worker's bindings: generated from wrangler.toml by `npm run cf-typegen` into
 * worker-configuration.d.ts (committed, reviewed), plus the optional secrets that are not in
 * wrangler.toml (`wrangler secret put …`; README "Deploy the worker").
 */
export type Env = CloudflareBindings & {
  /** A private deployment's own NemoVideo token: every installation uses it (installations/team.ts). */
  NEMO_TOKEN?: string
  /** The invite secret registration needs when set (installations/team.ts). */
  REGISTRATION_CODE?: string
  /** Cloudflare Turnstile's secret key: when set, registration needs a passed check. */
  TURNSTILE_SECRET?: string
  /** Where Turnstile responses are checked; Cloudflare's siteverify unless set (tests). */
  TURNSTILE_VERIFY_URL?: string
}

/** Hono's environment for the worker's app. */
export type AppEnv = {
  Bindings: Env
  Variables: {
    /** Set by the installation auth middleware on every /v1 route except registration. */
    installationId: string
    /**
     * The keeper's record the key check read, its backend token included: a chat turn starts with
     * it instead of asking the keeper again. Handed to the worker's own objects, never answered.
     */
    installation: InstallationRecord
  }
}
