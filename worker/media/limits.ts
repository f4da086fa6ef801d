import { z } from 'zod'
import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'
import type { MediaFetchLimits } from './fetch-media.ts'

/** A preview's media is pictures, a song and short clips; a file past this is not for a popup. */
export const DEFAULT_MEDIA_MAX_BYTES = 100 * 1024 * 1024

/** `MEDIA_MAX_BYTES` may be set in [vars] (tests lower it); optional, so not in wrangler.toml. */
type MediaEnv = Env & { MEDIA_MAX_BYTES?: string }

const MaxBytes = z.coerce.number().int().min(1).max(5_000_000_000).catch(DEFAULT_MEDIA_MAX_BYTES)

/** The media route's limits from the worker's settings: size cap, the backend's timeout, origin. */
export function mediaLimits(env: MediaEnv): MediaFetchLimits {
  const config = getConfig(env)
  return {
    maxBytes:
      env.MEDIA_MAX_BYTES === undefined
        ? DEFAULT_MEDIA_MAX_BYTES
        : MaxBytes.parse(env.MEDIA_MAX_BYTES),
    timeoutMs: config.upstreamTimeoutsMs.streamHeaders,
    backendOrigin: new URL(config.upstreamBaseUrl).origin,
  }
}
