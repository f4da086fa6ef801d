/** What ./global-setup.ts hands the test files (through `provide`/`inject`). */
export interface E2eEnv {
  /** Temp dir of the run: profiles, downloads, the build, worker.log. */
  workDir: string
  simUrl: string
  workerUrl: string
  siteUrl: string
  /** The local stand-in for NemoVideo's web app (registration and claim links land there). */
  nemoWebUrl: string
  /** The unpacked Chrome MV3 build, made against `workerUrl`. */
  extensionDir: string
  /** The unpacked Firefox MV3 build, made against the same worker. */
  firefoxExtensionDir: string
  downloadsDir: string
  /** POST /worker/restart restarts workerd on the same port and state. */
  harnessUrl: string
}

declare module 'vitest' {
  interface ProvidedContext {
    e2e: E2eEnv
  }
}
