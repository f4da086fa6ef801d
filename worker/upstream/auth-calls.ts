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

/** A Retry-After longer than this is not waited for inside a request: the refusal stands. */
export const MAX_TOKEN_RETRY_WAIT_MS = 120_000

/**
 * `POST /api/auth/anonymous-token` with this client id, for the client at `clientAddress`. The
 * backend issues one token per client id per 7 days and a few per IP. A 429 is tried once more
 * with the SAME client id after the configured wait (or the answer's Retry-After): a new client id
 * would count against the same address again and strand the anonymous user's projects. Only a 429
 * that persists, or a 400, becomes `registration_capped`, whose message names the way out.
 */
export async function requestAnonymousToken(
  config: Config,
  clientId: string,
  clientAddress?: string,
  now = Date.now,
): Promise<IssuedToken> {
  try {
    return await askForToken(config, clientId, clientAddress, now())
  } catch (err) {
    if (!(err instanceof TokenRefused) || err.httpStatus !== 429) throw capped(err)
    const waitMs = err.retryAfterMs ?? config.upstreamRetryAfterMs
    if (waitMs > MAX_TOKEN_RETRY_WAIT_MS) throw capped(err)
    await new Promise((resolve) => setTimeout(resolve, waitMs))
    try {
      return await askForToken(config, clientId, clientAddress, now())
    } catch (again) {
      throw capped(again)
    }
  }
}

/**
 * The headers that name the end user's address to the backend. Assumption (the contract does not
 * say how the per-IP cap counts behind a proxy): a Worker's subrequest reaches the backend from a
 * Cloudflare address and carries no X-Forwarded-For of its own, so the client's address goes in
 * the de-facto standard `X-Forwarded-For` (the first hop a proxy-aware backend reads) and in
 * `X-Real-IP` (what nginx-style setups read). CF-Connecting-IP cannot be set by a Worker.
 */
export function clientAddressHeaders(clientAddress: string | undefined): Record<string, string> {
  if (!clientAddress) return {}
  return { 'X-Forwarded-For': clientAddress, 'X-Real-IP': clientAddress }
}

class TokenRefused extends UpstreamError {
  readonly retryAfterMs: number | undefined
  constructor(from: UpstreamError, retryAfterMs: number | undefined) {
    super(from.code, {
      ...(from.httpStatus !== undefined && { httpStatus: from.httpStatus }),
      ...(from.upstreamCode !== undefined && { upstreamCode: from.upstreamCode }),
    })
    this.retryAfterMs = retryAfterMs
  }
}

async function askForToken(
  config: Config,
  clientId: string,
  clientAddress: string | undefined,
  now: number,
): Promise<IssuedToken> {
  const answer = await requestJson(config, {
    method: 'POST',
    path: '/api/auth/anonymous-token',
    headers: { 'X-Client-Id': clientId, ...clientAddressHeaders(clientAddress) },
    timeoutMs: config.upstreamTimeoutsMs.token,
  })
  try {
    const data = readAnswer(answer, AnonymousTokenData)
    return { token: data.token, expiresAt: expiryOf(data, now), userId: data.user_id }
  } catch (err) {
    if (
      err instanceof UpstreamError &&
      (err.code === 'upstream_rate_limited' || err.code === 'missing_client_id')
    ) {
      throw new TokenRefused(err, retryAfterMsOf(answer.retryAfter, now))
    }
    throw err
  }
}

function capped(err: unknown): unknown {
  if (!(err instanceof TokenRefused)) return err
  return new UpstreamError('registration_capped', {
    action: { kind: 'set_api_token' },
    ...(err.httpStatus !== undefined && { httpStatus: err.httpStatus }),
    ...(err.upstreamCode !== undefined && { upstreamCode: err.upstreamCode }),
  })
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or bad. */
export function retryAfterMsOf(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
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
  if (data.expires_in !== undefined && data.expires_in > 0)
    return new Date(now + data.expires_in * 1000).toISOString()
  const at = data.expires_at
  if (at !== undefined) {
    // Epoch seconds or milliseconds, or an ISO string.
    const ms = typeof at === 'number' ? (at < 1e12 ? at * 1000 : at) : Date.parse(at)
    if (Number.isFinite(ms) && ms > now) return new Date(ms).toISOString()
  }
  return new Date(now + ANONYMOUS_TOKEN_TTL_MS).toISOString()
}
