import { z } from 'zod'
import type { Env } from '../env.ts'

/** Cloudflare's documented verification endpoint; TURNSTILE_VERIFY_URL replaces it in tests. */
const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'
const TIMEOUT_MS = 10_000

const Verdict = z.object({ success: z.boolean() })

/**
 * Checks a Turnstile response with Cloudflare (`TURNSTILE_SECRET`, set only by deployments that
 * want a human check at registration; off in local runs). Anything but a clear success, including
 * an unreachable endpoint, is a failed check: the caller may simply try again.
 */
export async function verifyTurnstile(
  env: Env,
  response: string,
  remoteIp: string | undefined,
): Promise<boolean> {
  const form = new FormData()
  form.set('secret', env.TURNSTILE_SECRET ?? '')
  form.set('response', response)
  if (remoteIp) form.set('remoteip', remoteIp)
  try {
    const res = await fetch(env.TURNSTILE_VERIFY_URL || SITEVERIFY, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    const verdict = Verdict.safeParse(await res.json())
    return res.ok && verdict.success && verdict.data.success
  } catch {
    return false
  }
}
