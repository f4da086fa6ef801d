import { describe, expect, it } from 'vitest'
import { ApiError, ErrorAction, ErrorCode } from '../../shared/errors/codes.ts'
import {
  ERROR_TABLE,
  describeError,
  toApiError,
  upstreamCodeToErrorCode,
} from '../../shared/errors/index.ts'
import { unfilledPlaceholders } from '../../shared/i18n/index.ts'
import { MEDIA_FORMATS } from '../../shared/media.ts'

const ALL_CODES = ErrorCode.options
const CONTEXTS = [
  {},
  { tokenKind: 'anonymous' as const, bindId: 'anon_123' },
  { tokenKind: 'user' as const },
  {
    params: { limitBytes: 50 * 1024 * 1024, afterMs: 12_000 },
    issues: [{ path: 'preset', message: 'Invalid option' }],
  },
]

describe('ERROR_TABLE', () => {
  it('has an entry for every ErrorCode and nothing else', () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual([...ALL_CODES].sort())
  })

  it.each(ALL_CODES)('%s: filled en and zh messages in every context', (code) => {
    for (const ctx of CONTEXTS) {
      const { message } = describeError(code, ctx)
      expect(message.en.trim().length).toBeGreaterThan(10)
      expect(message.zh.trim().length).toBeGreaterThan(3)
      expect(message.zh).toMatch(/[\u4e00-\u9fff]/)
      expect(unfilledPlaceholders(message.en)).toEqual([])
      expect(unfilledPlaceholders(message.zh)).toEqual([])
    }
  })

  it.each(ALL_CODES)(
    '%s: the action and the envelope validate against the shared schemas',
    (code) => {
      for (const ctx of CONTEXTS) {
        const described = describeError(code, ctx)
        if (described.action) expect(ErrorAction.safeParse(described.action).success).toBe(true)
        if (described.alternative)
          expect(ErrorAction.safeParse(described.alternative).success).toBe(true)
        const envelope = toApiError(code, ctx)
        expect(ApiError.parse(envelope)).toEqual(envelope)
        expect(envelope.message).toBe(described.message.en)
      }
    },
  )

  it("no message for the backend's 402 (plan_required) mentions credits, whatever the token", () => {
    const code = upstreamCodeToErrorCode(402)
    expect(code).toBe('plan_required')
    for (const ctx of CONTEXTS) {
      const { message } = describeError(code ?? 'internal', ctx)
      expect(message.en.toLowerCase()).not.toContain('credit')
      expect(message.zh).not.toContain('积分')
    }
  })

  it.each([
    ['invalid_request', 400],
    ['unauthorized', 401],
    ['not_found', 404],
    ['run_in_progress', 409],
    ['not_exportable', 409],
    ['no_credits', 402],
    ['plan_required', 403],
    ['upload_too_large', 413],
    ['file_too_large', 413],
    ['unsupported_format', 415],
    ['length_required', 411],
    ['url_not_allowed', 400],
    ['invalid_api_token', 400],
    ['rate_limited', 429],
    ['upstream_rate_limited', 429],
    ['registration_capped', 429],
    ['origin_forbidden', 403],
    ['upstream_unavailable', 502],
    ['upstream_timeout', 504],
    ['token_expired', 502],
    ['missing_client_id', 502],
    ['session_lost', 409],
    ['stream_dropped', 502],
    ['render_failed', 502],
    ['job_cancelled', 409],
    ['job_not_finished', 409],
    ['media_not_allowed', 403],
    ['media_too_large', 413],
    ['media_unsupported_type', 415],
    ['media_fetch_failed', 502],
    ['media_timeout', 504],
    ['internal', 500],
  ] as const)('%s answers HTTP %i', (code, status) => {
    expect(describeError(code).status).toBe(status)
  })
})

describe('describeError actions', () => {
  it('unsupported_format lists every supported format in the action and the message', () => {
    const { action, message } = describeError('unsupported_format')
    expect(action).toEqual({ kind: 'formats', formats: [...MEDIA_FORMATS] })
    for (const f of MEDIA_FORMATS) expect(message.en).toContain(f)
  })

  it('file_too_large suggests compressing or trimming, with the backend limit', () => {
    const { action, message } = describeError('file_too_large')
    expect(action).toEqual({ kind: 'compress' })
    expect(message.en).toMatch(/compress or trim/i)
    expect(message.en).toContain('500 MB')
    expect(message.zh).toContain('压缩')
  })

  it('media_too_large names the media route’s own cap, not an upload limit', () => {
    const { action, message } = describeError('media_too_large', {
      params: { limitBytes: 12 * 1024 * 1024 },
    })
    expect(action).toBeUndefined()
    expect(message.en).toContain('12 MB')
    expect(message.en).toMatch(/preview/i)
    expect(message.en).not.toMatch(/upload|compress/i)
    expect(message.zh).toContain('12 MB')
  })

  it('the media host failing or timing out is worth a retry; a refused URL is not', () => {
    expect(describeError('media_fetch_failed').action).toEqual({ kind: 'retry' })
    expect(describeError('media_timeout').action).toEqual({ kind: 'retry' })
    expect(describeError('media_not_allowed').action).toBeUndefined()
    expect(describeError('media_unsupported_type').action).toBeUndefined()
  })

  it('no_credits: anonymous users get the registration link with their bind id', () => {
    const d = describeError('no_credits', {
      tokenKind: 'anonymous',
      bindId: 'anon_a b',
      webBaseUrl: 'https://nv.example/',
    })
    expect(d.action).toEqual({
      kind: 'register',
      url: 'https://nv.example/register?bind=anon_a%20b',
    })
    expect(d.alternative).toEqual({ kind: 'set_api_token' })
    expect(d.message.en).toMatch(/register/i)
  })

  it('no_credits: without a bind id the link has no bind parameter', () => {
    expect(describeError('no_credits').action).toEqual({
      kind: 'register',
      url: 'https://nemovideo.com/register',
    })
  })

  it('no_credits: registered users are told to top up in their account', () => {
    const d = describeError('no_credits', { tokenKind: 'user', bindId: 'anon_1' })
    expect(d.action?.kind).toBe('top_up')
    expect(d.alternative).toBeUndefined()
    expect(d.action && 'url' in d.action && d.action.url.startsWith('https://nemovideo.com/')).toBe(
      true,
    )
    expect(d.message.en).toContain('Top up credits in your account')
    expect(d.message.en).not.toMatch(/register/i)
    expect(d.message.zh).toContain('充值')
  })

  it('plan_required: register or upgrade, never credits; anonymous also gets the API token way out', () => {
    const anon = describeError('plan_required', { tokenKind: 'anonymous', bindId: 'anon_9' })
    expect(anon.message.en).toBe('Register or upgrade your plan to unlock export.')
    expect(anon.action).toEqual({
      kind: 'register',
      url: 'https://nemovideo.com/register?bind=anon_9',
    })
    expect(anon.alternative).toEqual({ kind: 'set_api_token' })
    const user = describeError('plan_required', { tokenKind: 'user' })
    expect(user.action?.kind).toBe('upgrade')
    expect(user.alternative).toBeUndefined()
  })

  it('registration_capped names the way out: your own API token in the options', () => {
    const d = describeError('registration_capped')
    expect(d.action).toEqual({ kind: 'set_api_token' })
    expect(d.message.en).toMatch(/API token in the options/)
    expect(d.message.zh).toContain('API 令牌')
  })

  it('upload_too_large states the limit from params.limitBytes in MB', () => {
    const d = describeError('upload_too_large', { params: { limitBytes: 100 * 1024 * 1024 } })
    expect(d.message.en).toContain('100 MB')
    expect(d.message.zh).toContain('100 MB')
    const small = describeError('upload_too_large', { params: { limitBytes: 1.5 * 1024 * 1024 } })
    expect(small.message.en).toContain('1.5 MB')
  })

  it('rate limits carry afterMs into the action and the message', () => {
    const own = describeError('rate_limited', { params: { afterMs: 4500 } })
    expect(own.action).toEqual({ kind: 'retry', afterMs: 4500 })
    expect(own.message.en).toContain('in 5 seconds')
    expect(own.message.zh).toContain('5 秒后')
    expect(describeError('rate_limited').action).toEqual({ kind: 'retry' })
    expect(describeError('upstream_rate_limited').action).toEqual({
      kind: 'retry',
      afterMs: 30_000,
    })
  })

  it('session_lost -> new_session, token_expired -> retry, internal has a generic message', () => {
    expect(describeError('session_lost').action).toEqual({ kind: 'new_session' })
    expect(describeError('token_expired').action).toEqual({ kind: 'retry' })
    expect(describeError('internal').message.en).toBe(
      'Something went wrong on our side. Please try again.',
    )
  })

  it('invalid_request lists its issues', () => {
    const issues = [
      { path: 'preset', message: 'Invalid option' },
      { path: 'idempotencyKey', message: 'Too short' },
    ]
    const e = toApiError('invalid_request', { issues })
    expect(e.message).toBe(
      'The request is not valid: preset: Invalid option; idempotencyKey: Too short.',
    )
    expect(e.issues).toEqual(issues)
  })

  it('an action chosen by the thrower replaces the table one', () => {
    const e = toApiError('internal', { action: { kind: 'new_session' }, params: { attempt: 2 } })
    expect(e).toEqual({
      code: 'internal',
      message: describeError('internal').message.en,
      action: { kind: 'new_session' },
      params: { attempt: 2 },
    })
  })
})

describe('upstreamCodeToErrorCode', () => {
  it.each([
    [1001, undefined, 'token_expired'],
    [1002, 200, 'session_lost'],
    [2001, 200, 'no_credits'],
    [4001, 400, 'unsupported_format'],
    [4002, 413, 'file_too_large'],
    [400, 400, 'missing_client_id'],
    [402, 402, 'plan_required'],
    [429, 429, 'upstream_rate_limited'],
    [0, undefined, undefined],
    [0, 200, undefined],
    [0, 503, 'upstream_unavailable'],
    [-1, 500, 'upstream_unavailable'],
    [9999, 408, 'upstream_timeout'],
    [9999, 402, 'plan_required'],
    [9999, 429, 'upstream_rate_limited'],
    [9999, undefined, 'upstream_unavailable'],
  ] as const)('code %i with HTTP %s -> %s', (code, status, expected) => {
    expect(upstreamCodeToErrorCode(code, status)).toBe(expected)
  })
})
