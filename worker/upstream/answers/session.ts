import { z } from 'zod'
import { KEYS } from './keys.ts'
import { asId, nests, pick } from './pick.ts'

/** The ids an answer carries, from any key of KEYS.ids in any nesting `nests` allows. */
export function readIds(body: unknown, inner: readonly string[] = ['session', 'task', 'state']) {
  const where = nests(body, inner)
  return {
    sessionId: pick(where, KEYS.ids.session, asId),
    taskId: pick(where, KEYS.ids.task, asId),
    userId: pick(where, KEYS.ids.bind, asId),
  }
}

/**
 * The answer of `POST /api/tasks/me/with-session/nemo_agent`: the session id under `data`,
 * `data.session` or at the top (the docs disagree), with the task id and, in early versions, the
 * anonymous user id (`user_id`, `bind_id`, `anon_id`…: KEYS.ids).
 */
export const SessionAnswer = z.unknown().transform((body, ctx) => {
  const { sessionId, taskId, userId } = readIds(body)
  if (!sessionId) {
    ctx.addIssue({ code: 'custom', message: 'no session id in the answer' })
    return z.NEVER
  }
  return { sessionId, taskId, userId }
})
export type SessionAnswer = z.infer<typeof SessionAnswer>
