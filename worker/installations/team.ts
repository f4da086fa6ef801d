import type { Env } from '../env.ts'

/**
 * A private deployment's own NemoVideo token (`wrangler secret put NEMO_TOKEN`), as the seed's
 * first step has it: when set, every installation uses it and no anonymous token is asked for.
 * It is read from the environment at each use, never copied into storage, so rotating the secret
 * takes effect at once.
 */
export function teamTokenOf(env: Env): string | undefined {
  const token = env.NEMO_TOKEN?.trim()
  return token ? token : undefined
}

/**
 * The invite secret of a private deployment (`wrangler secret put REGISTRATION_CODE`): when set,
 * registering needs it, so a deployment's credits are not open to whoever finds its URL.
 */
export function registrationCodeOf(env: Env): string | undefined {
  const code = env.REGISTRATION_CODE?.trim()
  return code ? code : undefined
}
