import { MediaFetchError, type FetchMedia } from '../preview/media-library.ts'
import type { MediaAccess } from './render-messages.ts'

const TIMEOUT_MS = 30_000

/**
 * How the renderer gets the draft's media. An extension page fetches a URL with the extension's
 * host access (no CORS in the way where the user granted it); `blob:` and `data:` URLs the
 * extension made are read as they are. The reason of a failure is kept for the placeholder.
 */
export function fetchMediaFor(_access: MediaAccess): FetchMedia {
  return async (url) => {
    let res: Response
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), credentials: 'omit' })
    } catch (err) {
      const timedOut = err instanceof DOMException && err.name === 'TimeoutError'
      throw new MediaFetchError(timedOut ? 'timeout' : 'network')
    }
    if (res.status === 404 || res.status === 410) throw new MediaFetchError('not_found')
    if (res.status === 401 || res.status === 403) throw new MediaFetchError('forbidden')
    if (res.status === 413) throw new MediaFetchError('too_large')
    if (!res.ok) throw new MediaFetchError('network')
    return res.blob()
  }
}
