import { AnonymousTokenData } from './answers/auth.ts'
import { CreditsData } from './answers/credits.ts'
import type { Config } from '../config.ts'
import { UpstreamError } from '../errors.ts'
import { readAnswer } from './answer.ts'
import { requestJson } from './http.ts'

/** NemoVideo's anonymous tokens are valid 7 days unless the answer says otherwise. */
export const ANONYMOUS_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000

export interface IssuedToken {
  token: string
  expiresAt: string
  userId: string | undefined
}

/**
 * `POST /api/auth/anonymous-token` with this client id. The backend issues one token per client id
 * per 7 days and a few per IP: a refusal (429, or 400) becomes `registration_capped`, whose message
 * names the way out (the user's own API token). The keeper decides about retries.
 */
export async function requestAnonymousToken(config: Config, clientId: string, now = Date.now()): Promise<IssuedToken> {
  const answer = await requestJson(config, {
    method: 'POST',
    path: '/api/auth/anonymous-token',
    headers: { 'X-Client-Id': clientId },
    timeoutMs: config.upstreamTimeoutsMs.token,
  })
  try {
    const data = readAnswer(answer, AnonymousTokenData)
    return { token: data.token, expiresAt: expiryOf(data, now), userId: data.user_id }
  } catch (err) {
    if (err instanceof UpstreamError && (err.code === 'upstream_rate_limited' || err.code === 'missing_client_id')) {
      throw new UpstreamError('registration_capped', {
        action: { kind: 'set_api_token' },
        httpStatus: err.httpStatus,
        ...(err.upstreamCode !== undefined ? { upstreamCode: err.upstreamCode } : {}),
      })
    }
    throw err
  }
}

/**
 * Checks a user's own NemoVideo API token with a credits call. A refusal (1001 / 401 / 403)
 * becomes `invalid_api_token`; an unreachable backend stays what it is.
 */
export async function checkApiToken(config: Config, token: string): Promise<void> {
  const answer = await requestJson(config, {
    method: 'GET',
    path: '/api/credits/balance/simple',
    token,
    timeoutMs: config.upstreamTimeoutsMs.json,
  })
  try {
    readAnswer(answer, CreditsData)
  } catch (err) {
    if (err instanceof UpstreamError && (err.code === 'token_expired' || err.httpStatus === 403)) {
      throw new UpstreamError('invalid_api_token', {
        action: { kind: 'set_api_token' },
        httpStatus: err.httpStatus,
        ...(err.upstreamCode !== undefined ? { upstreamCode: err.upstreamCode } : {}),
      })
    }
    throw err
  }
}

function expiryOf(data: AnonymousTokenData, now: number): string {
  if (data.expires_in !== undefined && data.expires_in > 0) return new Date(now + data.expires_in * 1000).toISOString()
  const at = data.expires_at
  if (at !== undefined) {
    // Epoch seconds or milliseconds, or an ISO string.
    const ms = typeof at === 'number' ? (at < 1e12 ? at * 1000 : at) : Date.parse(at)
    if (Number.isFinite(ms) && ms > now) return new Date(ms).toISOString()
  }
  return new Date(now + ANONYMOUS_TOKEN_TTL_MS).toISOString()
}
