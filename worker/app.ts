import { OpenAPIHono } from '@hono/zod-openapi'
import { paths } from '../shared/api/routes.ts'
import type { AppEnv } from './env.ts'
import { WorkerError } from './errors.ts'
import { cors } from './http/cors.ts'
import { errorFunnel } from './http/error-funnel.ts'
import { guard } from './http/guard.ts'
import { validationHook } from './http/validation.ts'
import claim from './routes/claim.ts'
import credits from './routes/credits.ts'
import exportsRoutes from './routes/exports.ts'
import installations from './routes/installations.ts'
import media from './routes/media.ts'
import sessions from './routes/sessions.ts'
import state from './routes/state.ts'
import uploads from './routes/uploads.ts'

/**
 * The worker's composition root: CORS for extension origins only, the installation guard on /v1,
 * one sub-app per resource (each with full paths from shared/api/routes.ts), one error funnel and
 * the OpenAPI document of it all. No compression or buffering middleware: chat streams (SSE) must
 * reach the client chunk by chunk.
 */
const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

app.use('*', cors)
app.use('/v1/*', guard)

app.route('/', installations)
app.route('/', credits)
app.route('/', sessions)
app.route('/', uploads)
app.route('/', state)
app.route('/', media)
app.route('/', claim)
app.route('/', exportsRoutes)

app.openAPIRegistry.registerComponent('securitySchemes', 'installationKey', {
  type: 'http',
  scheme: 'bearer',
  description: '`<installationId>.<secret>` from POST /v1/installations',
})
const documentConfig = {
  openapi: '3.1.0',
  info: {
    title: 'PageReel worker API',
    version: '1',
    description: 'The edge proxy between the PageReel extension and the NemoVideo backend.',
  },
  // Relative: the worker that serves this document (each deployment has its own origin).
  servers: [{ url: '/', description: 'The worker this document was fetched from' }],
  security: [{ installationKey: [] }],
}
// Built once per isolate, on first request (every route is registered by then): generating it
// costs tens of milliseconds of CPU, too much to spend again on every public request.
let openApiDocument: string | undefined
app.get(paths.openapi, (c) => {
  openApiDocument ??= JSON.stringify(app.getOpenAPI31Document(documentConfig))
  return c.body(openApiDocument, 200, { 'Content-Type': 'application/json; charset=UTF-8' })
})

app.notFound(async (c) => errorFunnel(new WorkerError('not_found'), c))
app.onError(errorFunnel)

export default app
