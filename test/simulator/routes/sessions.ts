import { Hono } from 'hono'
import { z } from 'zod'
import type { SimContext, SimEnv } from '../context.ts'
import { aspectOf } from '../draft.ts'
import { withMediaOrigin } from '../media.ts'
import { sessionAnswer, stateData } from '../profiles.ts'
import { fail, ok } from '../respond.ts'

const SessionBody = z.object({
  task_name: z.string().default('project'),
  language: z.string().default('en'),
})

/** Session creation and the state read. */
export function sessionRoutes(sim: SimContext) {
  return new Hono<SimEnv>()
    .post('/api/tasks/me/with-session/nemo_agent', (c) => {
      const parsed = SessionBody.safeParse(c.var.entry.body ?? {})
      if (!parsed.success) return fail(400, 'Invalid body')
      const session = sim.state.newSession(c.var.auth, parsed.data.task_name, parsed.data.language)
      const { data, extra } = sessionAnswer(
        sim.state.config.profile,
        sim.state.config.sessionIdNesting,
        {
          id: session.id,
          taskId: session.taskId,
          userId: session.userId,
          taskName: session.taskName,
        },
      )
      return ok(data, extra)
    })
    .get('/api/state/nemo_agent/me/:sid/latest', (c) => {
      const session = sim.state.sessions.get(c.req.param('sid'))
      if (!session || session.userId !== c.var.auth.userId) return fail(1002)
      const { width, height } = session.draft.m
      return ok(
        stateData(sim.state.config.profile, {
          session_id: session.id,
          task_id: session.taskId,
          task_name: session.taskName,
          user_id: session.userId,
          state: {
            draft: withMediaOrigin(session.draft, new URL(c.req.url).origin),
            video_infos: session.media.filter((m) => m.file_type === 'video'),
            canvas_config: { width, height, ratio: aspectOf(width, height) },
            video_analyses: session.media
              .filter((m) => m.file_type !== 'audio')
              .map((m) => ({ hash: m.hash, summary: `${m.file_type} ${m.filename}` })),
            generated_media: session.generated,
          },
        }),
      )
    })
}
