import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { getConfig } from '../config.ts'
import type { AppEnv } from '../env.ts'
import { UpstreamError, WorkerError } from '../errors.ts'
import { readRecordFromKv } from '../installations/record.ts'
import { errorAnswer, internalAnswer, type AnswerContext } from './error-envelope.ts'

/**
 * The app's one `onError`: an expected failure becomes the shared error envelope with the error
 * table's status; anything else is logged (name and message only, never a request's headers) and
 * answered with a generic `internal`.
 */
export async function errorFunnel(err: Error, c: Context<AppEnv>): Promise<Response> {
  // Hono's own refusals of a body (malformed JSON, an undeclared media type) are the caller's
  // mistake: a 400 in the envelope, not an unexpected 500.
  if (err instanceof HTTPException && err.status < 500) {
    err = new WorkerError('invalid_request', { issues: [{ path: 'body', message: err.message }] })
  }
  let answer
  if (err instanceof WorkerError) {
    answer = errorAnswer(err, await contextFor(err, c))
    if (err instanceof UpstreamError || answer.status >= 500) {
      console.warn('request failed', {
        code: err.code,
        upstreamCode: err instanceof UpstreamError ? err.upstreamCode : undefined,
        httpStatus: err instanceof UpstreamError ? err.httpStatus : undefined,
        path: c.req.routePath,
      })
    }
  } else {
    console.error('unexpected error', {
      name: err.name,
      message: err.message,
      path: c.req.routePath,
    })
    answer = internalAnswer()
  }
  if (answer.retryAfterSec !== undefined) c.header('Retry-After', String(answer.retryAfterSec))
  c.header('Cache-Control', 'no-store')
  return c.json(answer.body, answer.status as 400)
}

/**
 * Credits and plan errors name a different way out for anonymous and registered users (the
 * registration link with `?bind=`, or top-up/upgrade): those read the installation's record.
 */
async function contextFor(err: WorkerError, c: Context<AppEnv>): Promise<AnswerContext> {
  let webBaseUrl: string | undefined
  try {
    webBaseUrl = getConfig(c.env).nemoWebBaseUrl
  } catch {
    webBaseUrl = undefined
  }
  const ctx: AnswerContext = webBaseUrl ? { webBaseUrl } : {}
  const installationId = c.get('installationId')
  if (!installationId || (err.code !== 'no_credits' && err.code !== 'plan_required')) return ctx
  const record = await readRecordFromKv(c.env, installationId).catch(() => null)
  if (!record) return ctx
  return {
    ...ctx,
    tokenKind: record.tokenKind,
    ...(record.anonUserId && { bindId: record.anonUserId }),
  }
}
