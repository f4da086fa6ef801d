import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { Credits } from '../../shared/api/credits.ts'
import { paths } from '../../shared/api/routes.ts'
import type { AppEnv } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { validationHook } from '../http/validation.ts'
import { readRecord } from '../installations/record.ts'
import { createUpstream } from '../installations/upstream-for.ts'

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  createRoute({
    method: 'get',
    path: paths.credits,
    operationId: 'getCredits',
    summary: 'Credits of the NemoVideo account this installation uses',
    responses: {
      200: jsonContent(Credits, 'Available, frozen and total credits'),
      ...errorResponses(...COMMON_ERRORS),
    },
  }),
  async (c) => {
    const installationId = c.var.installationId
    const balance = await createUpstream(c.env, installationId).credits()
    // Read after the call: a renewal or a user's token set meanwhile is reflected.
    const record = await readRecord(c.env, installationId)
    if (!record) throw new WorkerError('unauthorized')
    return c.json({ ...balance, tokenKind: record.tokenKind }, 200)
  },
)

export default routes
