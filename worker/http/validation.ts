import type { Hook } from '@hono/zod-openapi'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'

/** At most this many field issues are returned: enough to fix a request, not a wall of text. */
const MAX_ISSUES = 20

/**
 * The `defaultHook` of every OpenAPIHono sub-app: a request that fails its zod schema becomes
 * `invalid_request` with one `{ path, message }` per field, through the app's one error funnel.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input shape.
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: [result.target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }))
  throw new WorkerError('invalid_request', { issues, params: { target: result.target } })
}
