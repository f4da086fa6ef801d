import { z } from 'zod'
import { DEFAULT_WORKER_UPLOAD_LIMIT_BYTES } from '../shared/media.ts'
import { DEFAULT_PART_MAX_BYTES, R2_MIN_PART_BYTES } from '../shared/api/uploads.ts'
import type { Env } from './env.ts'

const SECOND = 1000
const HOUR = 3600 * SECOND
const DAY = 24 * HOUR

/** A number given as a string in [vars], with bounds so a typo cannot mean "wait forever". */
const ms = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1')

const origins = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url()))

const ConfigSchema = z
  .object({
    UPSTREAM_BASE_URL: z.url({ protocol: /^https?$/ }),
    NEMO_WEB_BASE_URL: z.url({ protocol: /^https?$/ }),
    SKILL_SOURCE: z.string().min(1).max(100),
    SKILL_VERSION: z.string().min(1).max(40),
    SKILL_PLATFORM: z.string().min(1).max(40).default('unknown'),
    // 1 MiB to 5 GB: the most Cloudflare lets an Enterprise zone accept.
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(5_000_000_000)
      .default(DEFAULT_WORKER_UPLOAD_LIMIT_BYTES),
    // R2's smallest part (5 MiB) to its largest (5 GiB); the zone's body limit is the real cap.
    UPLOAD_PART_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(R2_MIN_PART_BYTES)
      .max(5 * 1024 ** 3)
      .default(DEFAULT_PART_MAX_BYTES),
    // 0 turns the R2 copy of finished exports off.
    EXPORT_COPY_TTL_MS: ms(7 * DAY, 0, 30 * DAY),
    // How long an upstream call may take: the token call, JSON calls, uploads, and a stream's
    // headers (its body may run on). Tests shorten them to reach the timeout paths in seconds.
    UPSTREAM_TOKEN_TIMEOUT_MS: ms(15 * SECOND, 10, 5 * 60 * SECOND),
    UPSTREAM_JSON_TIMEOUT_MS: ms(30 * SECOND, 10, 5 * 60 * SECOND),
    UPSTREAM_UPLOAD_TIMEOUT_MS: ms(15 * 60 * SECOND, 10, HOUR),
    UPSTREAM_STREAM_TIMEOUT_MS: ms(60 * SECOND, 10, 5 * 60 * SECOND),
    STILL_WORKING_INTERVAL_MS: ms(120 * SECOND, 10, HOUR),
    RENDER_POLL_INTERVAL_MS: ms(30 * SECOND, 10, HOUR),
    RENDER_MAX_AGE_MS: ms(30 * 60 * SECOND, 1000, 7 * 24 * HOUR),
    UPSTREAM_RETRY_AFTER_MS: ms(30 * SECOND, 0, 5 * 60 * SECOND),
    ALLOWED_ORIGINS: origins,
    ALLOW_ANY_EXTENSION_ORIGIN: flag,
    REGISTRATIONS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(5),
    REGISTRATIONS_PER_DAY: z.coerce.number().int().min(1).max(100_000_000).default(2000),
    STREAM_IDLE_TIMEOUT_MS: ms(30 * SECOND, 10, 10 * 60 * SECOND),
    UPLOADS_CONCURRENT_MAX: z.coerce.number().int().min(1).max(100).default(3),
    LARGE_UPLOADS_OPEN_MAX: z.coerce.number().int().min(1).max(100).default(2),
    BACKEND_FILE_HOSTS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^\.?[a-z0-9.-]+$/))),
    BACKEND_FILE_TIMEOUT_MS: ms(60 * SECOND, 10, 10 * 60 * SECOND),
  })
  .transform((v) => ({
    upstreamBaseUrl: v.UPSTREAM_BASE_URL.replace(/\/+$/, ''),
    nemoWebBaseUrl: v.NEMO_WEB_BASE_URL.replace(/\/+$/, ''),
    skill: { source: v.SKILL_SOURCE, version: v.SKILL_VERSION, platform: v.SKILL_PLATFORM },
    uploadMaxBytes: v.UPLOAD_MAX_BYTES,
    uploadPartMaxBytes: v.UPLOAD_PART_MAX_BYTES,
    exportCopyTtlMs: v.EXPORT_COPY_TTL_MS,
    upstreamTimeoutsMs: {
      token: v.UPSTREAM_TOKEN_TIMEOUT_MS,
      json: v.UPSTREAM_JSON_TIMEOUT_MS,
      upload: v.UPSTREAM_UPLOAD_TIMEOUT_MS,
      streamHeaders: v.UPSTREAM_STREAM_TIMEOUT_MS,
    },
    stillWorkingIntervalMs: v.STILL_WORKING_INTERVAL_MS,
    renderPollIntervalMs: v.RENDER_POLL_INTERVAL_MS,
    renderMaxAgeMs: v.RENDER_MAX_AGE_MS,
    upstreamRetryAfterMs: v.UPSTREAM_RETRY_AFTER_MS,
    allowedOrigins: v.ALLOWED_ORIGINS,
    allowAnyExtensionOrigin: v.ALLOW_ANY_EXTENSION_ORIGIN,
    registrationBudget: {
      perAddress: v.REGISTRATIONS_PER_ADDRESS_PER_DAY,
      global: v.REGISTRATIONS_PER_DAY,
    },
    streamIdleTimeoutMs: v.STREAM_IDLE_TIMEOUT_MS,
    uploadsConcurrentMax: v.UPLOADS_CONCURRENT_MAX,
    largeUploadsOpenMax: v.LARGE_UPLOADS_OPEN_MAX,
    backendFile: { hosts: v.BACKEND_FILE_HOSTS, timeoutMs: v.BACKEND_FILE_TIMEOUT_MS },
  }))

/** The worker's typed settings, from the [vars] of wrangler.toml. */
export type Config = Readonly<z.infer<typeof ConfigSchema>>

// One parse per env object: a request's env, or a Durable Object's, is the same object throughout.
const cache = new WeakMap<object, Config>()

/**
 * Reads the [vars] of wrangler.toml into a frozen, typed config. Throws (a deploy mistake, so a
 * logged 500) when a var is missing or out of bounds; the error names the var, never its value.
 */
export function getConfig(env: Env): Config {
  const cached = cache.get(env)
  if (cached) return cached
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ')
    throw new Error(`invalid worker configuration: ${names}`)
  }
  const config = Object.freeze({
    ...parsed.data,
    skill: Object.freeze(parsed.data.skill),
    upstreamTimeoutsMs: Object.freeze(parsed.data.upstreamTimeoutsMs),
    registrationBudget: Object.freeze(parsed.data.registrationBudget),
    backendFile: Object.freeze(parsed.data.backendFile),
  })
  cache.set(env, config)
  return config
}
