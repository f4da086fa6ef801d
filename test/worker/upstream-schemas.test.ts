import { describe, it } from 'vitest'
import { AnonymousTokenData } from '../../worker/upstream/answers/auth.ts'
import { CreditsData } from '../../worker/upstream/answers/credits.ts'
import { UpstreamEnvelope, upstreamCodeOf } from '../../worker/upstream/answers/envelope.ts'
import { RenderAnswer } from '../../worker/upstream/answers/render.ts'
import { SessionAnswer } from '../../worker/upstream/answers/session.ts'
import { StateData } from '../../worker/upstream/answers/state.ts'
import { UploadData } from '../../worker/upstream/answers/upload.ts'
import { readAnswer } from '../../worker/upstream/answer.ts'
import { UpstreamError } from '../../worker/errors.ts'

describe('tolerant schemas of the backend’s answers', () => {
  it('reads session_id under data, at the top, or both, keeping 19-digit ids as strings', ({
    expect,
  }) => {
    const id = '7391028374650192837'
    expect(
      SessionAnswer.parse({ code: 0, data: { session_id: id, task_id: 't1', user_id: 'anon_1' } }),
    ).toEqual({
      sessionId: id,
      taskId: 't1',
      userId: 'anon_1',
    })
    expect(SessionAnswer.parse({ code: 0, session_id: id, extra: { a: 1 } }).sessionId).toBe(id)
    expect(SessionAnswer.parse({ success: true, data: { session_id: 42 } }).sessionId).toBe('42')
    expect(SessionAnswer.safeParse({ code: 0, data: {} }).success).toBe(false)
  })

  it('reads the three render status shapes', ({ expect }) => {
    expect(
      RenderAnswer.parse({ success: true, data: { id: 'r', status: 'processing', progress: 40 } }),
    ).toEqual({
      status: 'processing',
      progress: 40,
    })
    expect(
      RenderAnswer.parse({
        success: true,
        data: { status: 'completed', outputUrl: 'https://cdn/x.mp4' },
      }),
    ).toEqual({
      status: 'completed',
      outputUrl: 'https://cdn/x.mp4',
    })
    expect(
      RenderAnswer.parse({
        status: 'COMPLETED',
        output: { url: 'https://cdn/y.mp4' },
        progress: '100',
      }),
    ).toEqual({
      status: 'completed',
      progress: 100,
      outputUrl: 'https://cdn/y.mp4',
    })
    expect(
      RenderAnswer.parse({ data: { status: 'failed', error: { message: 'node crashed' } } }),
    ).toEqual({
      status: 'failed',
      error: 'node crashed',
    })
    // No status at all: still in progress, flagged so the job warns once.
    expect(RenderAnswer.parse({ success: true, data: { id: 'r' } })).toEqual({
      status: 'processing',
      unknownStatus: '(none)',
    })
  })

  it('tells success by code or by success', ({ expect }) => {
    expect(upstreamCodeOf(UpstreamEnvelope.parse({ code: 0 }))).toBe(0)
    expect(upstreamCodeOf(UpstreamEnvelope.parse({ code: '1001' }))).toBe(1001)
    expect(upstreamCodeOf(UpstreamEnvelope.parse({ success: true }))).toBe(0)
    expect(upstreamCodeOf(UpstreamEnvelope.parse({ success: false }))).toBeUndefined()
  })

  it('accepts unknown fields and odd numbers in the other answers', ({ expect }) => {
    expect(CreditsData.parse({ available: '80', total: 100, bonus: 3 })).toEqual({
      available: 80,
      frozen: 0,
      total: 100,
    })
    expect(AnonymousTokenData.parse({ token: 'nmv_anon_abcdef', scopes: ['read'] }).token).toBe(
      'nmv_anon_abcdef',
    )
    const upload = UploadData.parse({
      files: [
        { filename: 'a.mp4', file_type: 'video', duration: '3.5', fps: 30, hash: 'x' },
        { file_type: 'hologram' },
      ],
      session_state_applied: true,
    })
    expect(upload.applied).toBe(true)
    expect(upload.files[0]).toMatchObject({ filename: 'a.mp4', fileType: 'video', duration: 3.5 })
    expect(upload.files[1]).toMatchObject({ filename: 'file', fileType: undefined })
    expect(
      StateData.parse({
        state: { draft: { t: [] }, canvas_config: { width: 1080, height: 1920 } },
        task_name: 'p',
      }),
    ).toEqual({
      draft: { t: [] },
      canvas: { width: 1080, height: 1920 },
      userId: undefined,
    })
  })
})

describe('readAnswer', () => {
  const answer = (httpStatus: number, body: unknown) => ({ httpStatus, retryAfter: null, body })

  it('maps backend codes and HTTP statuses to shared codes', ({ expect }) => {
    const codeOf = (httpStatus: number, body: unknown) => {
      try {
        readAnswer(answer(httpStatus, body), CreditsData)
        return 'ok'
      } catch (err) {
        return err instanceof UpstreamError ? err.code : 'other'
      }
    }
    expect(codeOf(200, { code: 0, data: { available: 1 } })).toBe('ok')
    expect(codeOf(200, { code: 1001, message: 'bad token' })).toBe('token_expired')
    expect(codeOf(404, { code: 1002 })).toBe('session_lost')
    expect(codeOf(402, { code: 2001 })).toBe('no_credits')
    expect(codeOf(400, { code: 4001 })).toBe('unsupported_format')
    expect(codeOf(413, { code: 4002 })).toBe('file_too_large')
    expect(codeOf(402, { success: false, error: 'plan' })).toBe('plan_required')
    expect(codeOf(429, { code: 429 })).toBe('upstream_rate_limited')
    expect(codeOf(503, undefined)).toBe('upstream_unavailable')
    expect(codeOf(200, undefined)).toBe('upstream_unavailable')
    expect(codeOf(200, { code: 0, data: 'not an object' })).toBe('upstream_unavailable')
  })
})
