import type { Config } from '../config.ts'
import { watchIdle } from '../http/idle-timeout.ts'

/** Redirects followed at most, each checked like the first URL. */
const MAX_REDIRECTS = 3

/**
 * Whether the finished file may be fetched from this URL: http(s) without credentials, to the
 * backend's own host or one of BACKEND_FILE_HOSTS (`cdn.example.com` exactly, `.example.com` any
 * subdomain); https unless it is the backend's own host (a local simulator runs on http).
 */
export function isBackendFileUrl(config: Config, url: URL): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
  if (url.username || url.password) return false
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  const backend = new URL(config.upstreamBaseUrl)
  if (host === backend.hostname.toLowerCase())
    return url.protocol === backend.protocol || url.protocol === 'https:'
  if (url.protocol !== 'https:') return false
  return config.backendFile.hosts.some((allowed) =>
    allowed.startsWith('.')
      ? host.endsWith(allowed) && host.length > allowed.length
      : host === allowed,
  )
}

/**
 * Fetches the render answer's file URL under the worker's policy (issue 11, item 7): the backend's
 * hosts only, redirects followed by hand and each checked, the answer's headers within
 * BACKEND_FILE_TIMEOUT_MS and then no more than that between two chunks of the body. Null when the
 * URL or a redirect is not allowed, or the fetch fails: the caller uses the token download then.
 * Logs name the host at most, never the URL (it may carry a signature).
 */
export async function fetchBackendFile(
  config: Config,
  raw: string,
  signal?: AbortSignal,
): Promise<Response | null> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  const { timeoutMs } = config.backendFile
  const deadline = AbortSignal.timeout(timeoutMs)
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    if (!isBackendFileUrl(config, url)) {
      console.warn(
        `render output URL on a host outside BACKEND_FILE_HOSTS (${url.hostname}); using the token download`,
      )
      return null
    }
    let res: Response
    try {
      res = await fetch(url.href, { signal: combined, redirect: 'manual' })
    } catch (err) {
      if (signal?.aborted) throw err
      console.warn(
        `render output URL ${deadline.aborted ? 'timed out' : 'unreachable'}; using the token download`,
      )
      return null
    }
    const location = res.headers.get('Location')
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => undefined)
      try {
        url = new URL(location, url)
      } catch {
        return null
      }
      continue
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined)
      console.warn(`render output URL answered ${res.status}; using the token download`)
      return null
    }
    const watched = watchIdle(res.body, timeoutMs)
    return new Response(watched.body, { status: res.status, headers: res.headers })
  }
  console.warn('render output URL redirected too often; using the token download')
  return null
}
