import { z } from 'zod'
import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'

const MINUTE = 60_000

/** How long a chat turn may take and when the user hears about silence. */
export interface ChatTimings {
  /** `still_working` after this much silence (heartbeats are silence), and again after as much. */
  stillWorkingMs: number
  /** Nothing but heartbeats this long is a timeout (contract: 10 minutes). */
  silenceTimeoutMs: number
  /** A turn's hard cap (contract: 15 minutes). */
  maxRunMs: number
  /**
   * After a dropped stream: the waits before each read of the state. The contract's "wait 30 s,
   * then every 60 s, 5 unchanged reads"; CHAT_DROP_CHECKS_MS ("30000,60000,...") in wrangler.toml,
   * so tests run the path in milliseconds.
   */
  dropChecksMs: number[]
  /** Held text goes out at the latest this long after it arrived (reply-text.ts, TEXT_FLUSH_MS). */
  textFlushMs?: number
}

const DEFAULT_DROP_CHECKS_MS = [30_000, 60_000, 60_000, 60_000, 60_000]

const DropChecks = z
  .string()
  .transform((v) => v.split(',').map((s) => Number(s.trim())))
  .pipe(
    z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(10 * MINUTE),
      )
      .min(1)
      .max(20),
  )

export function chatTimings(env: Env): ChatTimings {
  const drop = DropChecks.safeParse(env.CHAT_DROP_CHECKS_MS)
  if (!drop.success && env.CHAT_DROP_CHECKS_MS !== undefined)
    console.error('CHAT_DROP_CHECKS_MS is invalid; using the default')
  return {
    stillWorkingMs: getConfig(env).stillWorkingIntervalMs,
    silenceTimeoutMs: 10 * MINUTE,
    maxRunMs: 15 * MINUTE,
    dropChecksMs: drop.success ? drop.data : DEFAULT_DROP_CHECKS_MS,
  }
}
