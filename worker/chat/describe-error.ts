import { toApiError } from '../../shared/errors/table.ts'
import type { ApiError } from '../../shared/errors/codes.ts'
import { getConfig } from '../config.ts'
import type { Env } from '../env.ts'
import { WorkerError } from '../errors.ts'
import { readRecord } from '../installations/record.ts'

/** Codes whose action depends on who the user is (register with `?bind=`, top up, upgrade). */
const ACCOUNT_CODES = new Set(['no_credits', 'plan_required'])

/**
 * The `ApiError` of a failed chat turn, through the shared table, as the error funnel builds it
 * for JSON answers. Unexpected errors become `internal` and are logged by name only.
 */
export async function describeChatError(
  env: Env,
  installationId: string,
  sessionUserId: string | undefined,
  err: unknown,
): Promise<ApiError> {
  if (!(err instanceof WorkerError)) {
    console.error(
      'chat turn failed unexpectedly',
      err instanceof Error ? `${err.name}: ${err.message}` : typeof err,
    )
    return toApiError('internal')
  }
  let account: { tokenKind?: 'anonymous' | 'user'; bindId?: string } = {}
  if (ACCOUNT_CODES.has(err.code)) {
    const record = await readRecord(env, installationId).catch(() => null)
    const bindId = record?.anonUserId ?? sessionUserId
    account = {
      ...(record ? { tokenKind: record.tokenKind } : {}),
      ...(bindId ? { bindId } : {}),
    }
  }
  return toApiError(err.code, {
    ...account,
    webBaseUrl: getConfig(env).nemoWebBaseUrl,
    ...(err.params ? { params: err.params } : {}),
    ...(err.action ? { action: err.action } : {}),
  })
}
