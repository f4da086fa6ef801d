import { SessionId, type SessionInfo } from '../../shared/api/sessions.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { createUpstream } from '../installations/upstream-for.ts'
import { newSessionId } from './ids.ts'
import type { ProjectSession } from './project-session.ts'
import { unwrap } from '../result.ts'
import { withUpstreamSession as withRenewal } from './upstream-session.ts'

/** A session the caller owns, with what the backend knows it by. */
export interface ResolvedSession {
  stub: DurableObjectStub<ProjectSession>
  upstreamSessionId: string
  taskId?: string
  userId?: string
}

function stubFor(env: Env, sessionId: string): DurableObjectStub<ProjectSession> {
  return env.PROJECT_SESSION.get(env.PROJECT_SESSION.idFromName(sessionId))
}

/**
 * Opens a backend session for the installation and a ProjectSession to hold it. The backend is
 * called first: if it fails (no credits, backend down) no worker session is left behind.
 */
export async function createSession(
  env: Env,
  installationId: string,
  language: string,
): Promise<SessionInfo> {
  const upstream = await createUpstream(env, installationId).createSession(language)
  const sessionId = newSessionId()
  const created = await stubFor(env, sessionId).initialize({
    sessionId,
    installationId,
    language,
    upstreamSessionId: upstream.upstreamSessionId,
    taskId: upstream.taskId,
    userId: upstream.userId,
  })
  return unwrap(created)
}

/**
 * The session's object, for an operation that checks the owner itself (its answer is `not_found`
 * for another installation's session, as here): one Durable Object call instead of two.
 */
export function sessionObject(env: Env, sessionId: string): DurableObjectStub<ProjectSession> {
  if (!SessionId.safeParse(sessionId).success) throw new WorkerError('not_found')
  return stubFor(env, sessionId)
}

/**
 * The session, if it exists and belongs to the installation. Throws `not_found` otherwise, the same
 * way for both, so nobody learns that another installation's session id is real.
 */
export async function resolveSession(
  env: Env,
  installationId: string,
  sessionId: string,
): Promise<ResolvedSession> {
  const stub = sessionObject(env, sessionId)
  const found = await stub.access(installationId)
  if (found === null) throw new WorkerError('not_found')
  return {
    stub,
    upstreamSessionId: found.upstreamSessionId,
    ...(found.taskId === undefined ? {} : { taskId: found.taskId }),
    ...(found.userId === undefined ? {} : { userId: found.userId }),
  }
}

/** Runs `fn` with the session's backend id, renewed once if the backend lost it (upstream-session.ts). */
export async function withUpstreamSession<T>(
  env: Env,
  installationId: string,
  sessionId: string,
  fn: (upstreamSessionId: string) => Promise<T>,
): Promise<T> {
  const { stub, upstreamSessionId } = await resolveSession(env, installationId, sessionId)
  return withRenewal(upstreamSessionId, (stale) => stub.renewUpstreamSession(stale), fn)
}
