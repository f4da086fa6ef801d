// Placeholder sub-app until the real routes land. Routes use full paths from shared/api/routes.ts.
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env.ts'

const routes = new OpenAPIHono<AppEnv>()
export default routes
