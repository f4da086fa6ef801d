import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import {
  CreateInstallationRequest,
  InstallationCreated,
  InstallationInfo,
  SetApiTokenRequest,
} from '../../shared/api/installations.ts'
import { paths } from '../../shared/api/routes.ts'
import { getConfig } from '../config.ts'
import type { AppEnv, Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { toApiErrorBody } from '../http/error-envelope.ts'
import { COMMON_ERRORS, errorResponses, jsonContent } from '../http/openapi.ts'
import { clientAddress } from '../http/rate-limit.ts'
import { validationHook } from '../http/validation.ts'
import { installationInfo } from '../installations/info.ts'
import { admitRegistration } from '../installations/registration-gate.ts'
import { unwrap } from '../result.ts'
import { keeperOf, readRecord } from '../installations/record.ts'
import { randomId, randomSecret, sha256Hex } from '../installations/secret.ts'
import { UpstreamError } from '../errors.ts'

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(
    createRoute({
      method: 'post',
      path: paths.installations,
      operationId: 'register',
      summary: 'Register an installation of the extension; the key is shown once',
      security: [],
      request: { body: { content: { 'application/json': { schema: CreateInstallationRequest } } } },
      responses: {
        201: jsonContent(
          InstallationCreated,
          'Created; `tokenError` says when the backend refused a free token',
        ),
        ...errorResponses(400, 403, 413, 429, 502, 504),
      },
    }),
    async (c) => {
      // The body is optional (curl without one registers in English).
      const request = CreateInstallationRequest.parse(c.req.valid('json') ?? {})
      await admitRegistration(c, request)
      const installationId = randomId('inst')
      const secret = randomSecret()
      const address = clientAddress(c)
      const state = unwrap(
        await keeperOf(c.env, installationId).register(
          {
            installationId,
            secretHash: await sha256Hex(secret),
            language: request.language,
            createdAt: new Date().toISOString(),
          },
          address ? { clientAddress: address } : {},
        ),
      )
      const created: InstallationCreated = {
        installationId,
        key: `${installationId}.${secret}`,
        tokenKind: state.tokenKind,
      }
      if (state.needsApiToken) {
        created.tokenError = toApiErrorBody(
          new UpstreamError('registration_capped', { action: { kind: 'set_api_token' } }),
        )
      }
      c.header('Cache-Control', 'no-store')
      return c.json(created, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: paths.me,
      operationId: 'getInstallation',
      summary: 'This installation: token kind, registration link; never the token',
      responses: {
        200: jsonContent(InstallationInfo, 'The installation'),
        ...errorResponses(...COMMON_ERRORS),
      },
    }),
    async (c) => c.json(await infoOf(c.env, c.var.installationId), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: paths.me,
      operationId: 'deleteInstallation',
      summary: 'Forget this installation (reset); its key stops working',
      responses: { 204: { description: 'Forgotten' }, ...errorResponses(...COMMON_ERRORS) },
    }),
    async (c) => {
      await keeperOf(c.env, c.var.installationId).reset()
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: paths.apiToken,
      operationId: 'setApiToken',
      summary: 'Use the user’s own NemoVideo API token (checked, kept server-side, never returned)',
      request: {
        body: { required: true, content: { 'application/json': { schema: SetApiTokenRequest } } },
      },
      responses: {
        200: jsonContent(InstallationInfo, 'Now using the user’s token'),
        ...errorResponses(...COMMON_ERRORS),
      },
    }),
    async (c) => {
      const { token } = c.req.valid('json')
      unwrap(await keeperOf(c.env, c.var.installationId).setUserToken(token))
      return c.json(await infoOf(c.env, c.var.installationId), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: paths.apiToken,
      operationId: 'removeApiToken',
      summary: 'Forget the user’s own token and go back to an anonymous one',
      responses: {
        200: jsonContent(InstallationInfo, 'Back to an anonymous token'),
        ...errorResponses(...COMMON_ERRORS),
      },
    }),
    async (c) => {
      const address = clientAddress(c)
      unwrap(
        await keeperOf(c.env, c.var.installationId).clearUserToken(
          address ? { clientAddress: address } : {},
        ),
      )
      return c.json(await infoOf(c.env, c.var.installationId), 200)
    },
  )

/** The installation's info, from its keeper (KV may lag right after a write). */
async function infoOf(env: Env, installationId: string): Promise<InstallationInfo> {
  const record = await readRecord(env, installationId)
  if (!record) throw new WorkerError('unauthorized')
  return installationInfo(record, getConfig(env))
}

export default routes
