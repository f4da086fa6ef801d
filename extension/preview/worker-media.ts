import { ApiRequestError } from '../utils/api/errors.ts'
import { createMediaCache, type MediaCache } from '../utils/media-cache.ts'
import { MediaFetchError, type FetchMedia } from './media-library.ts'
import type { MediaFailureReason } from './types.ts'

/** How a preview gets bytes: the tray's own copy when it has one, else the worker's media route. */
export interface PreviewMediaDeps {
  /** Bytes the tray kept for this URL (read locally), if any. */
  localBlob(url: string): Promise<Blob | undefined>
  /** The worker's media route for the session. */
  remote(url: string): Promise<Blob>
}

/** The player's words for why a file is missing, from the worker's error. */
export function reasonOf(err: unknown): MediaFailureReason {
  if (!(err instanceof ApiRequestError)) return 'network'
  if (err.source === 'unreachable') return 'network'
  switch (err.code) {
    case 'media_too_large':
      return 'too_large'
    case 'media_timeout':
    case 'upstream_timeout':
      return 'timeout'
    case 'media_unsupported_type':
      return 'unsupported'
    case 'media_not_allowed':
      return 'forbidden'
    case 'not_found':
      return 'not_found'
    case 'media_fetch_failed': {
      // What the media host answered, when it answered at all.
      const status = Number(err.error.params?.httpStatus)
      if (status === 404 || status === 410) return 'not_found'
      if (status === 401 || status === 403) return 'forbidden'
      return 'network'
    }
    default:
      // The session's state could not be read (upstream_unavailable, …): nothing about the file.
      return 'network'
  }
}

/** A `FetchMedia` for the preview: local tray bytes first, then the worker, failures named. */
export function previewFetch(deps: PreviewMediaDeps): FetchMedia {
  return async (url) => {
    const local = await deps.localBlob(url).catch(() => undefined)
    if (local) return local
    if (!/^https?:/i.test(url)) throw new MediaFetchError('not_found')
    try {
      return await deps.remote(url)
    } catch (err) {
      throw new MediaFetchError(reasonOf(err), err instanceof Error ? err.message : String(err))
    }
  }
}

let cache: MediaCache | undefined

/**
 * `deps` with the page's media cache in front of the worker's route: a file this device fetched
 * before is read from IndexedDB, not the network. The tray's local bytes stay as they are (they
 * are local already, and never copied into the cache).
 */
export function withMediaCache(deps: PreviewMediaDeps): PreviewMediaDeps {
  cache ??= createMediaCache()
  return { localBlob: deps.localBlob, remote: cache.through(deps.remote) }
}
