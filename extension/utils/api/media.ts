import { paths } from '../../../shared/api/routes.ts'
import { errorFromResponse } from './errors.ts'
import { resolveBaseUrl, sendWithKey, type WorkerClientOptions } from './http.ts'

/**
 * A media file the session's draft names, through the worker's media route (owner only); throws
 * `ApiRequestError` with the worker's reason (`url_not_allowed`, `file_too_large`, a failed or
 * slow media host) or `unreachable`.
 */
export async function fetchSessionMedia(
  opts: WorkerClientOptions,
  sessionId: string,
  url: string,
  signal?: AbortSignal,
): Promise<Blob> {
  const base = await resolveBaseUrl(opts)
  const res = await sendWithKey(opts, (key) => {
    const headers = new Headers()
    if (key) headers.set('Authorization', `Bearer ${key}`)
    const query = new URLSearchParams({ url })
    return new Request(`${base}${paths.media(sessionId)}?${query}`, {
      headers,
      ...(signal && { signal }),
    })
  })
  if (!res.ok) throw await errorFromResponse(res)
  return res.blob()
}
