import { isPublicHttpUrl } from '../http/public-url.ts'

/** A draft is small; a limit keeps a hostile or broken one from costing much CPU. */
const MAX_DEPTH = 12
const MAX_URLS = 2000

/**
 * Every http(s) URL a draft names, wherever in its shape (the backend's segment keys are not
 * documented, and shapes vary): the only media the worker will fetch for its owner.
 */
export function namedUrls(draft: unknown): Set<string> {
  const found = new Set<string>()
  const walk = (value: unknown, depth: number): void => {
    if (found.size >= MAX_URLS || depth > MAX_DEPTH) return
    if (typeof value === 'string') {
      if (/^https?:\/\//i.test(value) && value.length <= 4096) found.add(value)
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1)
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value)) walk(v, depth + 1)
    }
  }
  walk(draft, 0)
  return found
}

/**
 * Whether the worker may fetch `url` for a session: the state names it, and it goes to a public
 * host or to the backend's own origin (a deployment may run its backend on a private address;
 * the simulator does). Nothing else, so the route is never an open proxy.
 */
export function mayFetch(url: string, named: ReadonlySet<string>, backendOrigin: string): boolean {
  return named.has(url) && isAllowedHop(url, backendOrigin)
}

/** A redirect's target must pass the same host rule (it need not be named: CDNs redirect). */
export function isAllowedHop(url: string, backendOrigin: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.username || parsed.password) return false
  return parsed.origin === backendOrigin || isPublicHttpUrl(url)
}
