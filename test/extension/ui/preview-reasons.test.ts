import { afterEach, describe, expect, it } from 'vitest'
import { toApiError } from '../../../shared/errors/index.ts'
import type { ErrorCode } from '../../../shared/errors/codes.ts'
import { REASON_KEYS } from '../../../extension/components/PreviewPlayer.tsx'
import { previewFetch, reasonOf } from '../../../extension/preview/worker-media.ts'
import { MediaFetchError } from '../../../extension/preview/media-library.ts'
import { ApiRequestError, unreachable } from '../../../extension/utils/api/errors.ts'
import { setUiLanguage, t } from '../../../extension/utils/i18n.ts'

/** The worker's answer for a code, as the extension's client raises it. */
function answered(code: ErrorCode, params?: Record<string, number | string>) {
  const error = toApiError(code, params ? { params } : {})
  return new ApiRequestError(error, 400, 'worker')
}

afterEach(() => setUiLanguage('auto'))

describe('why a preview file is missing, from the media route’s own codes', () => {
  it.each([
    ['media_not_allowed', undefined, 'forbidden', 'access was refused', '访问被拒绝'],
    ['media_too_large', { limitBytes: 1000 }, 'too_large', 'too large', '太大'],
    [
      'media_unsupported_type',
      { contentType: 'text/html' },
      'unsupported',
      'cannot be played',
      '无法',
    ],
    ['media_timeout', undefined, 'timeout', 'did not answer in time', '未及时'],
    ['media_fetch_failed', { httpStatus: 404 }, 'not_found', 'gone', '不存在'],
    ['media_fetch_failed', { httpStatus: 410 }, 'not_found', 'gone', '不存在'],
    ['media_fetch_failed', { httpStatus: 403 }, 'forbidden', 'refused', '拒绝'],
    ['media_fetch_failed', { httpStatus: 500 }, 'network', 'could not be downloaded', '下载'],
    ['media_fetch_failed', undefined, 'network', 'could not be downloaded', '下载'],
    ['not_found', undefined, 'not_found', 'gone', '不存在'],
  ] as const)('%s %o is “%s”, in English and Chinese', (code, params, reason, en, zh) => {
    expect(reasonOf(answered(code, params))).toBe(reason)
    setUiLanguage('en')
    expect(t(REASON_KEYS[reason])).toContain(en)
    setUiLanguage('zh')
    expect(t(REASON_KEYS[reason])).toContain(zh)
  })

  it('is “network” when the worker could not be reached or the session’s state failed', () => {
    expect(reasonOf(unreachable(new Error('offline')))).toBe('network')
    expect(reasonOf(answered('upstream_unavailable', { httpStatus: 404 }))).toBe('network')
    expect(reasonOf(new TypeError('Failed to fetch'))).toBe('network')
  })

  it('names the reason on the failure the library records', async () => {
    const fetch = previewFetch({
      localBlob: async () => undefined,
      remote: async () => {
        throw answered('media_too_large', { limitBytes: 1000 })
      },
    })
    const err = await fetch('https://cdn.example.com/big.mp4').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MediaFetchError)
    expect((err as MediaFetchError).reason).toBe('too_large')
  })
})
