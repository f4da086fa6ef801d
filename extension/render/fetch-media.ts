import { paths } from '../../shared/api/index.ts'
import { MediaFetchError, type FetchMedia } from '../preview/media-library.ts'
import type { MediaAccess } from './render-messages.ts'

const TIMEOUT_MS = 30_000

function reasonOf(status: number): MediaFetchError['reason'] {
  if (status === 404 || status === 410) return 'not_found'
  if (status === 401 || status === 403) return 'forbidden'
  if (status === 413) return 'too_large'
  if (status === 415) return 'unsupported'
  if (status === 504) return 'timeout'
  return 'network'
}

async function get(url: string, init: RequestInit = {}): Promise<Blob> {
  let res: Response
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError'
    throw new MediaFetchError(timedOut ? 'timeout' : 'network')
  }
  if (!res.ok) throw new MediaFetchError(reasonOf(res.status))
  return res.blob()
}

/**
 * How the renderer gets the draft's media (it runs where extension storage is out of reach, so the
 * background hands it the worker URL and the installation key). First the URL itself, with the
 * extension's host access (no backend needed: the way a render works while NemoVideo is down),
 * then the worker's media route for the session (owner only; any public host). The reason of the
 * last failure is kept for the placeholder.
 */
export function fetchMediaFor(access: MediaAccess): FetchMedia {
  return async (url) => {
    try {
      return await get(url, { credentials: 'omit' })
    } catch (direct) {
      if (!access.key || !/^https?:/i.test(url)) throw direct
      const route = new URL(access.workerUrl.replace(/\/$/, '') + paths.media(access.sessionId))
      route.searchParams.set('url', url)
      return await get(route.href, { headers: { Authorization: `Bearer ${access.key}` } })
    }
  }
}
