import { WorkerError } from '../errors.ts'
import { unwrap, type Result } from '../result.ts'

/**
 * Runs `fn` with the session's backend id. When the backend lost that session (1002), `renew`
 * (the ProjectSession's `renewUpstreamSession`: once, shared by every concurrent caller, with a
 * `session_renewed` notice for the user) opens a new one, and `fn` runs again with the new id.
 * The routes and the ProjectSession's own chat turns both come through here.
 */
export async function withUpstreamSession<T>(
  upstreamSessionId: string,
  renew: (staleId: string) => Promise<Result<string>>,
  fn: (upstreamSessionId: string) => Promise<T>,
): Promise<T> {
  try {
    return await fn(upstreamSessionId)
  } catch (err) {
    if (!(err instanceof WorkerError) || err.code !== 'session_lost') throw err
    return fn(unwrap(await renew(upstreamSessionId)))
  }
}
