import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'

/**
 * A finished job is kept at least this long for its download, then the object deletes itself; never
 * shorter than the R2 copy of its file (EXPORT_COPY_TTL_MS), see `retentionMs`.
 */
export const RETENTION_MS = 7 * 24 * 60 * 60 * 1000

/** How long a finished job is kept: RETENTION_MS, or the copy's time if that is longer. */
export function retentionMs(copyTtlMs: number): number {
  return Math.max(RETENTION_MS, copyTtlMs)
}

/** Copying the finished file into R2 is tried this often (first at completion), then given up. */
export const MAX_COPY_ATTEMPTS = 5

/** One copy may take this long: a large file at a slow backend, well under the alarm's 15 minutes. */
export const COPY_TIMEOUT_MS = 10 * 60_000

/** A render is submitted at most this often: once, then once more after a failed render. */
export const MAX_RENDER_ATTEMPTS = 2

/** Errors in a row (poll or submit) after which a job fails instead of backing off forever. */
export const MAX_CONSECUTIVE_ERRORS = 8

/** Longest wait between polls while the backend keeps failing, in poll intervals (8 min at 30 s). */
export const MAX_BACKOFF_INTERVALS = 16

/**
 * One poll or submit may take this long. Long enough for the upstream client's own 429 wait
 * (UPSTREAM_RETRY_AFTER_MS, 30 s) plus a retry, far below the alarm's 15-minute wall limit.
 */
export const UPSTREAM_CALL_TIMEOUT_MS = 75_000

/** Best-effort calls (cancel) get less. */
export const BEST_EFFORT_TIMEOUT_MS = 10_000

export interface RenderTiming {
  pollIntervalMs: number
  maxAgeMs: number
  /** How long the R2 copy of a finished file is kept; 0: no copy. */
  copyTtlMs: number
}

/** RENDER_POLL_INTERVAL_MS, RENDER_MAX_AGE_MS and EXPORT_COPY_TTL_MS of wrangler.toml's [vars]. */
export function renderTiming(env: Env): RenderTiming {
  const config = getConfig(env)
  return {
    pollIntervalMs: config.renderPollIntervalMs,
    maxAgeMs: config.renderMaxAgeMs,
    copyTtlMs: config.exportCopyTtlMs,
  }
}

/** Wait before the next poll after `errors` failures in a row: interval, 2x, 4x... capped. */
export function backoffMs(pollIntervalMs: number, errors: number): number {
  if (errors <= 0) return pollIntervalMs
  return pollIntervalMs * Math.min(2 ** (errors - 1), MAX_BACKOFF_INTERVALS)
}
