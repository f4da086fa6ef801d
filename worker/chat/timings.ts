import { z } from 'zod'
import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'
import type { ChatTimings } from './run-engine.ts'

const MINUTE = 60_000

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
