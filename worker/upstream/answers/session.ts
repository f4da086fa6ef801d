import { z } from 'zod'
import { looseId } from './envelope.ts'

const SessionFields = z.looseObject({
  session_id: looseId.optional().catch(undefined),
  task_id: looseId.optional().catch(undefined),
  user_id: z.string().optional().catch(undefined),
})

/**
 * The answer of `POST /api/tasks/me/with-session/nemo_agent`: `session_id` under `data` or at the
 * top (the docs disagree), with `task_id` and, in early versions, the anonymous `user_id`.
 */
export const SessionAnswer = SessionFields.extend({
  data: SessionFields.optional().catch(undefined),
}).transform((a, ctx) => {
    const sessionId = a.data?.session_id ?? a.session_id
    if (!sessionId) {
      ctx.addIssue({ code: 'custom', message: 'no session_id in the answer' })
      return z.NEVER
    }
    return {
      sessionId,
      taskId: a.data?.task_id ?? a.task_id,
      userId: a.data?.user_id ?? a.user_id,
    }
  })
export type SessionAnswer = z.infer<typeof SessionAnswer>
