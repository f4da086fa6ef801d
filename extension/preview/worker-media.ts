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
  /** This device's copy of bytes fetched before (the media cache), asked beside `localBlob`. */
  cached?(url: string): Promise<Blob | undefined>
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
    const remote = /^https?:/i.test(url)
    // Both local lookups at once: each waits on its own store (storage.local, IndexedDB).
    const [local, kept] = await Promise.all([
      deps.localBlob(url).catch(() => undefined),
      remote ? deps.cached?.(url).catch(() => undefined) : undefined,
    ])
    if (local) return local
    if (kept) return kept
    if (!remote) throw new MediaFetchError('not_found')
    try {
      return await deps.remote(url)
    } catch (err) {
      throw new MediaFetchError(reasonOf(err), err instanceof Error ? err.message : String(err))
    }
  }
}

let pageCache: MediaCache | undefined

/** Opens the page's media cache (see `withMediaCache`) while the rest of the popup starts. */
export function openMediaCache(): void {
  void (pageCache ??= createMediaCache()).open()
}

/**
 * `deps` with a media cache (the page's by default) in front of the worker's route: a file this
 * device fetched before is read from IndexedDB, not the network, and what the route answers is
 * kept. The tray's local bytes are local already and never copied into it.
 */
export function withMediaCache(
  deps: PreviewMediaDeps,
  cache: MediaCache = (pageCache ??= createMediaCache()),
): PreviewMediaDeps {
  return {
    localBlob: deps.localBlob,
    cached: (url) => cache.get(url),
    async remote(url) {
      const blob = await deps.remote(url)
      void cache.put(url, blob)
      return blob
    },
  }
}
