/**
 * The worker's bindings: generated from wrangler.toml by `npm run cf-typegen` into
 * worker-configuration.d.ts (committed, reviewed). Secrets that are not in wrangler.toml are added
 * here; there are none yet: backend tokens live in KV per installation, never in config.
 */
export type Env = CloudflareBindings

/** Hono's environment for the worker's app. */
export type AppEnv = {
  Bindings: Env
  Variables: {
    /** Set by the installation auth middleware on every /v1 route except registration. */
    installationId: string
  }
}
