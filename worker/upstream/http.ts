import type { Config } from '../config.ts'
import { UpstreamError } from '../errors.ts'

/**
 * The default of how long a call may take (the UPSTREAM_*_TIMEOUT_MS vars of wrangler.toml set
 * them; calls take `config.upstreamTimeoutsMs`). Stream calls (chat, download) only bound the
 * time to the answer's headers: their bodies may run for 15 minutes.
 */
export const TIMEOUTS_MS = {
  token: 15_000,
  json: 30_000,
  upload: 15 * 60_000,
  streamHeaders: 60_000,
} as const

export interface UpstreamRequest {
  method: 'GET' | 'POST'
  path: string
  /** The NemoVideo token; omitted only on the anonymous-token call itself. */
  token?: string
  headers?: Record<string, string>
  json?: unknown
  body?: ReadableStream<Uint8Array>
  timeoutMs: number
  signal?: AbortSignal
}

/** A JSON answer: the HTTP status, Retry-After, and the parsed body (undefined if not JSON). */
export interface JsonAnswer {
  httpStatus: number
  retryAfter: string | null
  body: unknown
}

/**
 * THE one place that sends a request to NemoVideo: base URL from config, `Authorization`, and the
 * three attribution headers that export needs (402 without them) on every call. Resolves once the
 * answer's headers are in; the timeout covers only that wait, so a stream may run on.
 */
export async function sendUpstream(config: Config, req: UpstreamRequest): Promise<Response> {
  return withTimeout(req, (signal) => fetchUpstream(config, req, signal))
}

/** Sends a call whose answer is JSON and reads it whole within the call's timeout. */
export async function requestJson(config: Config, req: UpstreamRequest): Promise<JsonAnswer> {
  return withTimeout(req, async (signal) => {
    const res = await fetchUpstream(config, req, signal)
    const text = await res.text()
    return {
      httpStatus: res.status,
      retryAfter: res.headers.get('Retry-After'),
      body: parseJson(text),
    }
  })
}

function fetchUpstream(
  config: Config,
  req: UpstreamRequest,
  signal: AbortSignal,
): Promise<Response> {
  const headers = new Headers(req.headers)
  headers.set('X-Skill-Source', config.skill.source)
  headers.set('X-Skill-Version', config.skill.version)
  headers.set('X-Skill-Platform', config.skill.platform)
  if (req.token) headers.set('Authorization', `Bearer ${req.token}`)
  let body: BodyInit | undefined
  if (req.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(req.json)
  } else if (req.body) {
    // The incoming stream itself: workerd keeps its Content-Length (platform-notes 3.6).
    body = req.body
  }
  return fetch(`${config.upstreamBaseUrl}${req.path}`, {
    method: req.method,
    headers,
    body,
    signal,
  })
}

async function withTimeout<T>(
  req: UpstreamRequest,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = new AbortController()
  const timer = setTimeout(() => timeout.abort(), req.timeoutMs)
  const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal
  try {
    return await run(signal)
  } catch (cause) {
    if (cause instanceof UpstreamError) throw cause
    if (timeout.signal.aborted) {
      throw new UpstreamError('upstream_timeout', { params: { timeoutMs: req.timeoutMs }, cause })
    }
    if (req.signal?.aborted) throw cause
    throw new UpstreamError('upstream_unavailable', { cause })
  } finally {
    clearTimeout(timer)
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
