import { z } from 'zod/mini'
import { ApiRequestError, errorFromResponse, unreachable } from './errors.ts'

/** How the client finds the worker and its installation key. */
export interface WorkerClientOptions {
  /** The worker's origin; a function so a changed setting applies to the next call. */
  baseUrl: string | (() => string | Promise<string>)
  /**
   * The installation key (`inst_….secret`). With `{ renew: true }` the previous key was refused
   * (401, e.g. the worker's KV was reset): register again and return the new key, unless the
   * stored key is no longer the `rejected` one (another call renewed it already).
   */
  getKey: (opts?: KeyRequest) => Promise<string>
  fetch?: typeof fetch
}

export interface KeyRequest {
  renew?: boolean
  rejected?: string
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  body?: unknown
  /** Calls that create the installation carry no key. */
  anonymous?: boolean
}

export async function resolveBaseUrl(opts: WorkerClientOptions): Promise<string> {
  const base = typeof opts.baseUrl === 'function' ? await opts.baseUrl() : opts.baseUrl
  return base.replace(/\/+$/, '')
}

/**
 * Sends one JSON call with the installation key; a 401 renews the key once and retries, so a
 * reset worker never costs the user their local tray, chat or jobs.
 */
export async function sendWithKey(
  opts: WorkerClientOptions,
  build: (key: string | undefined) => Promise<Request> | Request,
  anonymous = false,
): Promise<Response> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis)
  let key = anonymous ? undefined : await opts.getKey()
  for (let attempt = 0; ; attempt++) {
    let res: Response
    try {
      res = await doFetch(await build(key))
    } catch (err) {
      if ((err as { name?: string }).name === 'AbortError') throw err
      throw unreachable(err)
    }
    if (res.status === 401 && !anonymous && attempt === 0) {
      await res.body?.cancel().catch(() => {})
      key = await opts.getKey({ renew: true, rejected: key })
      continue
    }
    return res
  }
}

/** A JSON call whose 2xx answer is parsed with `schema`; `null` schema for answers without body. */
export async function requestJson<S extends z.core.$ZodType>(
  opts: WorkerClientOptions,
  req: JsonRequest,
  schema: S,
): Promise<z.infer<S>>
export async function requestJson(
  opts: WorkerClientOptions,
  req: JsonRequest,
  schema: null,
): Promise<void>
export async function requestJson(
  opts: WorkerClientOptions,
  req: JsonRequest,
  schema: z.core.$ZodType | null,
): Promise<unknown> {
  const base = await resolveBaseUrl(opts)
  const res = await sendWithKey(
    opts,
    (key) => {
      const headers = new Headers({ Accept: 'application/json' })
      if (key) headers.set('Authorization', `Bearer ${key}`)
      if (req.body !== undefined) headers.set('Content-Type', 'application/json')
      return new Request(base + req.path, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      })
    },
    req.anonymous,
  )
  if (!res.ok) throw await errorFromResponse(res)
  if (schema === null) {
    await res.body?.cancel().catch(() => {})
    return undefined
  }
  const body: unknown = await res.json().catch(() => undefined)
  const parsed = z.safeParse(schema, body)
  if (!parsed.success) {
    throw new ApiRequestError(
      { code: 'upstream_unavailable', message: `Malformed answer from ${req.method} ${req.path}.` },
      res.status,
    )
  }
  return parsed.data
}
