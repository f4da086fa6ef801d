import type { Env } from '../env.ts'
import { createUpstreamClient } from '../upstream/client.ts'
import type { Upstream } from '../upstream/types.ts'
import type { InstallationRecord } from './record.ts'
import { createTokenSource } from './token-source.ts'

/**
 * The backend client of one installation, with its token: the installation owns the token (its
 * keeper issues and renews it), the upstream client only asks for it through `TokenSource`.
 */
export function createUpstream(
  env: Env,
  installationId: string,
  known?: InstallationRecord,
): Upstream {
  return createUpstreamClient(env, createTokenSource(env, installationId, known))
}
