import { Hono } from 'hono'
import { z } from 'zod'
import type { SimContext, SimEnv } from '../context.ts'
import { mp4Bytes, mp4Stream, nearestPreset } from '../mp4.ts'
import { renderStatusBody, renderSubmitBody } from '../profiles.ts'
import { fail, renderFail, renderOk } from '../respond.ts'
import type { RenderRecord, SimState } from '../state.ts'

const SubmitBody = z.object({
  id: z.string().regex(/^render_[\w-]+$/),
  sessionId: z.string(),
  draft: z.looseObject({
    m: z.looseObject({ width: z.number().optional(), height: z.number().optional() }).optional(),
    t: z.array(z.looseObject({ sg: z.array(z.unknown()).optional() })).optional(),
  }),
  output: z.looseObject({ format: z.literal('mp4'), quality: z.string().optional() }).optional(),
})

type Status = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled'

/** Where a render stands: by polls (each status GET advances it) or by scaled time. */
function progressOf(state: SimState, render: RenderRecord): { status: Status; progress: number } {
  const mode = state.config.render
  let fraction: number
  if (mode.mode === 'polls') {
    // The first poll still sees `pending`, the Nth sees `completed`.
    fraction =
      mode.pollsToComplete <= 1 ? render.polls : (render.polls - 1) / (mode.pollsToComplete - 1)
  } else {
    const duration = mode.durationMs * state.config.timeScale
    fraction = duration <= 0 ? 1 : (state.now() - render.submittedAt) / duration
  }
  if (render.cancelled)
    return { status: 'cancelled', progress: Math.min(99, Math.round(fraction * 100)) }
  if (render.failWith && fraction >= 0.5)
    return { status: 'failed', progress: Math.round(Math.min(fraction, 1) * 60) }
  if (fraction >= 1) return { status: 'completed', progress: 100 }
  if (fraction <= 0 || (mode.mode === 'time' && fraction < 0.1))
    return { status: 'pending', progress: 0 }
  return { status: 'processing', progress: Math.max(1, Math.min(99, Math.round(fraction * 100))) }
}

/** Render submit, status (in the documented shapes), cancel, the file and the token-only download. */
export function renderRoutes(sim: SimContext) {
  return new Hono<SimEnv>()
    .post('/api/render/proxy/lambda', (c) => {
      const { state, faults } = sim
      if (!c.var.entry.attribution)
        return fail(402, 'Missing attribution headers', { success: false })
      if (!c.var.auth.scopes.includes('render')) return fail(402, undefined, { success: false })
      const parsed = SubmitBody.safeParse(c.var.entry.body)
      if (!parsed.success)
        return renderFail(400, `Invalid render request: ${parsed.error.issues[0]?.message}`)
      const { id, sessionId, draft } = parsed.data
      if (state.renders.has(id)) return renderFail(409, `Render id ${id} already exists`)
      const session = state.sessions.get(sessionId)
      if (!session || session.userId !== c.var.auth.userId)
        return fail(1002, undefined, { success: false })
      if (!(draft.t ?? []).some((t) => (t.sg ?? []).length > 0))
        return renderFail(400, 'Draft has no segments')
      const size = nearestPreset(draft.m?.width ?? 1920, draft.m?.height ?? 1080)
      const failure = faults.take(
        ['render-fail'],
        'render-submit',
        (f) => f.renderId === undefined || f.renderId === id,
      )
      state.renders.set(id, {
        id,
        userId: c.var.auth.userId,
        sessionId,
        draft,
        ...size,
        submittedAt: state.now(),
        polls: 0,
        cancelled: false,
        failWith: failure?.error,
      })
      return renderOk(renderSubmitBody(state.config.profile, id))
    })
    .get('/api/render/proxy/lambda/:id', (c) => {
      const { state } = sim
      const render = state.renders.get(c.req.param('id'))
      if (!render || render.userId !== c.var.auth.userId) return renderFail(404, 'Render not found')
      render.polls += 1
      const { status, progress } = progressOf(state, render)
      const url =
        status === 'completed' ? `${new URL(c.req.url).origin}/files/${render.id}.mp4` : undefined
      const error =
        status === 'failed'
          ? render.failWith
          : status === 'cancelled'
            ? 'Render cancelled'
            : undefined
      const shaped = renderStatusBody(state.config.profile, {
        id: render.id,
        status,
        progress,
        url,
        error,
        polls: render.polls,
      })
      if (shaped) return renderOk(shaped)
      const shape =
        state.config.statusShape === 'rotate'
          ? render.polls % 2
            ? 'data'
            : 'top'
          : state.config.statusShape
      if (shape === 'data')
        return renderOk({ data: { id: render.id, status, progress, outputUrl: url, error } })
      return renderOk({
        id: render.id,
        status,
        progress,
        output: url ? { url, format: 'mp4' } : null,
        error,
      })
    })
    .post('/api/render/proxy/lambda/:id/cancel', (c) => {
      const render = sim.state.renders.get(c.req.param('id'))
      if (!render || render.userId !== c.var.auth.userId) return renderFail(404, 'Render not found')
      const { status } = progressOf(sim.state, render)
      if (status === 'pending' || status === 'processing') render.cancelled = true
      return renderOk({ data: { id: render.id, status: progressOf(sim.state, render).status } })
    })
    .get('/api/render/proxy/:id/download', (c) => {
      const render = sim.state.renders.get(c.req.param('id'))
      if (!render || render.userId !== c.var.auth.userId) return renderFail(404, 'Render not found')
      if (progressOf(sim.state, render).status !== 'completed')
        return renderFail(409, 'Render not completed')
      return fileResponse(render)
    })
    .get('/files/:file', (c) => {
      const render = sim.state.renders.get(c.req.param('file').replace(/\.mp4$/, ''))
      if (!render || progressOf(sim.state, render).status !== 'completed')
        return c.text('Not Found', 404)
      return fileResponse(render)
    })
}

function fileResponse(render: RenderRecord): Response {
  const bytes = mp4Bytes(render.width, render.height)
  return new Response(mp4Stream(bytes), {
    headers: {
      'content-type': 'video/mp4',
      'content-length': String(bytes.length),
      'content-disposition': `attachment; filename="${render.id}.mp4"`,
    },
  })
}
