import { Hono } from 'hono'
import type { SimContext, SimEnv } from './context.ts'
import type { SimulatorControl } from './control.ts'
import { injectFaults, logRequests, requireToken } from './middleware.ts'
import { accountRoutes } from './routes/account.ts'
import { chatRoutes } from './routes/chat.ts'
import { controlRoutes } from './routes/control.ts'
import { mediaRoutes } from './routes/media.ts'
import { renderRoutes } from './routes/render.ts'
import { sessionRoutes } from './routes/sessions.ts'
import { uploadRoutes } from './routes/upload.ts'

/** The simulator's Hono app: web-standard APIs only, so it runs in Node and in workerd alike. */
export function createApp(sim: SimContext, control: SimulatorControl) {
  const app = new Hono<SimEnv>()
  app.use('*', logRequests(sim), injectFaults(sim), requireToken(sim))
  app.route('/', controlRoutes(sim, control))
  app.route('/', accountRoutes(sim))
  app.route('/', sessionRoutes(sim))
  app.route('/', chatRoutes(sim))
  app.route('/', uploadRoutes(sim))
  app.route('/', renderRoutes(sim))
  app.route('/', mediaRoutes(sim))
  app.notFound((c) =>
    c.json({ code: 404, message: `No route ${c.req.method} ${c.req.path}`, data: null }, 404),
  )
  app.onError((err, c) => {
    console.error('[simulator]', err)
    return c.json({ code: 500, message: 'Internal server error', data: null }, 500)
  })
  return app
}
