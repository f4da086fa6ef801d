// Placeholder until the composition root lands (owner: worker core).
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './env.ts'
import sessions from './routes/sessions.ts'
import exportsRoutes from './routes/exports.ts'

const app = new OpenAPIHono<AppEnv>()
app.route('/', sessions)
app.route('/', exportsRoutes)
export default app
