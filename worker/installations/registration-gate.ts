import type { Context } from 'hono'
import type { CreateInstallationRequest } from '../../shared/api/installations.ts'
import { getConfig } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { clientAddress, countFailure } from '../http/rate-limit.ts'
import { registryOf } from './registry.ts'
import { sha256Hex } from './secret.ts'
import { registrationCodeOf } from './team.ts'
import { verifyTurnstile } from './turnstile.ts'

/**
 * What a registration must pass before an installation (and maybe a backend token) is made, in
 * the order that costs least first: a private deployment's invite code (a wrong one counts as a
 * failed attempt of the address), the optional Turnstile check, then the deployment's budgets per
 * address and in all (registration-budget.ts). Throws the refusal.
 */
export async function admitRegistration(
  c: Context<AppEnv>,
  request: CreateInstallationRequest,
): Promise<void> {
  const code = registrationCodeOf(c.env)
  if (code !== undefined) {
    const given = request.registrationCode ?? ''
    if (!(await sameSecret(given, code))) {
      if (given) await countFailure(c)
      throw new WorkerError('registration_code_required')
    }
  }
  if (c.env.TURNSTILE_SECRET) {
    const passed = request.turnstileToken
      ? await verifyTurnstile(c.env, request.turnstileToken, clientAddress(c))
      : false
    if (!passed) throw new WorkerError('human_check_failed')
  }
  const budget = await registryOf(c.env).take(
    clientAddress(c) ?? 'unknown',
    getConfig(c.env).registrationBudget,
  )
  if (!budget.granted)
    throw new WorkerError('rate_limited', { params: { afterMs: budget.retryAfterMs } })
}

/** Compares two secrets in constant time (through their hashes, so lengths do not show). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const enc = new TextEncoder()
  const a = enc.encode(await sha256Hex(given))
  const b = enc.encode(await sha256Hex(expected))
  const subtle = crypto.subtle as unknown as {
    timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean
  }
  return subtle.timingSafeEqual(a, b)
}
