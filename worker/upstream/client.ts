import { z } from 'zod'
import { ClaimTokenData } from './answers/auth.ts'
import { CreditsData } from './answers/credits.ts'
import { RenderAnswer } from './answers/render.ts'
import { SessionAnswer } from './answers/session.ts'
import { StateData } from './answers/state.ts'
import { UploadData } from './answers/upload.ts'
import { normalizeDraft } from '../draft/normalize.ts'
import { getConfig, type Config } from '../config.ts'
import type { Env } from '../env.ts'
import { UpstreamError } from '../errors.ts'
import { readAnswer } from './answer.ts'
import { formDataBody } from './form-body.ts'
import { requestJson, sendUpstream, type UpstreamRequest } from './http.ts'
import type {
  TokenSource,
  Upstream,
  UpstreamRenderStatus,
  UpstreamUploadFile,
  UpstreamUploadResult,
} from './types.ts'

type Call = Omit<UpstreamRequest, 'token'>

/**
 * The backend client of one installation. Every call goes out through `sendUpstream` (the one
 * place that sets Authorization and X-Skill-*), re-auths once on 1001 through `tokens` (the
 * installation owns its token and hands it out: installations/upstream-for.ts), and retries a 429
 * once after UPSTREAM_RETRY_AFTER_MS. 1002 is thrown as `session_lost` for the session owner to
 * handle; a consumed upload stream is never sent twice.
 */
export function createUpstreamClient(env: Env, tokens: TokenSource): Upstream {
  const config = getConfig(env)
  const json = <S extends z.ZodType>(call: Call, schema: S, from: 'data' | 'whole' = 'data') =>
    withRetries(config, tokens, true, async (token) =>
      readAnswer(await requestJson(config, { ...call, token }), schema, from),
    )

  async function rememberUserId(userId: string | undefined): Promise<void> {
    if (userId) await tokens.rememberUserId(userId)
  }

  async function readState(upstreamSessionId: string) {
    const data = await json(
      {
        method: 'GET',
        path: `/api/state/nemo_agent/me/${encodeURIComponent(upstreamSessionId)}/latest`,
        timeoutMs: config.upstreamTimeoutsMs.json,
      },
      StateData,
      'whole',
    )
    await rememberUserId(data.userId)
    return {
      draft: data.draft,
      ...(data.canvas ? { canvas: data.canvas } : {}),
      ...(data.userId ? { userId: data.userId } : {}),
    }
  }

  /**
   * An upload answer that named neither its files nor whether they were applied says nothing
   * either way: the state says what the draft now holds, so "nothing applied" is never claimed
   * for a draft that changed. A failed state read leaves the answer as it was.
   */
  async function settleUpload(
    upstreamSessionId: string,
    answer: { files: UpstreamUploadFile[]; applied: boolean; readable: boolean },
  ): Promise<UpstreamUploadResult> {
    if (answer.readable) return { files: answer.files, applied: answer.applied }
    console.warn('upload answer named no files; reading the state')
    try {
      const { draft } = await readState(upstreamSessionId)
      const files = normalizeDraft(draft).tracks.flatMap((track) =>
        track.segments.flatMap((seg): UpstreamUploadFile[] =>
          seg.sourceUrl
            ? [
                {
                  filename: seg.label || 'file',
                  cdnUrl: seg.sourceUrl,
                  ...(seg.mediaKind && { fileType: seg.mediaKind }),
                },
              ]
            : [],
        ),
      )
      return { files, applied: files.length > 0, fromState: true }
    } catch {
      return { files: answer.files, applied: answer.applied }
    }
  }

  return {
    async createSession(language) {
      const answer = await json(
        {
          method: 'POST',
          path: '/api/tasks/me/with-session/nemo_agent',
          json: { task_name: 'project', language },
          timeoutMs: config.upstreamTimeoutsMs.json,
        },
        SessionAnswer,
        'whole',
      )
      await rememberUserId(answer.userId)
      return {
        upstreamSessionId: answer.sessionId,
        ...(answer.taskId ? { taskId: answer.taskId } : {}),
        ...(answer.userId ? { userId: answer.userId } : {}),
      }
    },

    runSse(upstreamSessionId, text, signal) {
      return withRetries(config, tokens, true, async (token) => {
        const res = await sendUpstream(config, {
          method: 'POST',
          path: '/run_sse',
          token,
          headers: { Accept: 'text/event-stream' },
          json: {
            app_name: 'nemo_agent',
            user_id: 'me',
            session_id: upstreamSessionId,
            new_message: { parts: [{ text }] },
          },
          timeoutMs: config.upstreamTimeoutsMs.streamHeaders,
          ...(signal ? { signal } : {}),
        })
        const type = res.headers.get('Content-Type') ?? ''
        if (res.ok && type.includes('text/event-stream')) return res
        return refuseAnswer(res)
      })
    },

    async uploadMultipart(upstreamSessionId, body, contentType, contentLength) {
      // Not replayable: the stream is consumed by the first attempt.
      const answer = await withRetries(config, tokens, false, async (token) =>
        readAnswer(
          await requestJson(config, {
            method: 'POST',
            path: uploadPath(upstreamSessionId),
            token,
            headers: { 'Content-Type': contentType, 'Content-Length': String(contentLength) },
            body,
            timeoutMs: config.upstreamTimeoutsMs.upload,
          }),
          UploadData,
          'whole',
        ),
      )
      return settleUpload(upstreamSessionId, answer)
    },

    async uploadFile(upstreamSessionId, file, open) {
      // Replayable: every attempt opens the stored file again.
      const answer = await withRetries(config, tokens, true, async (token) => {
        const form = formDataBody(file, await open())
        return readAnswer(
          await requestJson(config, {
            method: 'POST',
            path: uploadPath(upstreamSessionId),
            token,
            headers: {
              'Content-Type': form.contentType,
              'Content-Length': String(form.contentLength),
            },
            body: form.body,
            timeoutMs: config.upstreamTimeoutsMs.upload,
          }),
          UploadData,
          'whole',
        )
      })
      return settleUpload(upstreamSessionId, answer)
    },

    async uploadUrls(upstreamSessionId, urls) {
      const answer = await json(
        {
          method: 'POST',
          path: uploadPath(upstreamSessionId),
          json: { urls, source_type: 'url' },
          timeoutMs: config.upstreamTimeoutsMs.upload,
        },
        UploadData,
        'whole',
      )
      return settleUpload(upstreamSessionId, answer)
    },

    credits() {
      return json(
        {
          method: 'GET',
          path: '/api/credits/balance/simple',
          timeoutMs: config.upstreamTimeoutsMs.json,
        },
        CreditsData,
      )
    },

    state(upstreamSessionId) {
      return readState(upstreamSessionId)
    },

    submitRender({ renderId, upstreamSessionId, draft }) {
      return json(
        {
          method: 'POST',
          path: '/api/render/proxy/lambda',
          json: {
            id: renderId,
            sessionId: upstreamSessionId,
            draft,
            output: { format: 'mp4', quality: 'high' },
          },
          timeoutMs: config.upstreamTimeoutsMs.json,
        },
        RenderAnswer,
        'whole',
      ) as Promise<UpstreamRenderStatus>
    },

    renderStatus(renderId) {
      return json(
        {
          method: 'GET',
          path: `/api/render/proxy/lambda/${encodeURIComponent(renderId)}`,
          timeoutMs: config.upstreamTimeoutsMs.json,
        },
        RenderAnswer,
        'whole',
      ) as Promise<UpstreamRenderStatus>
    },

    async cancelRender(renderId) {
      await withRetries(config, tokens, true, async (token) => {
        const answer = await requestJson(config, {
          method: 'POST',
          path: `/api/render/proxy/lambda/${encodeURIComponent(renderId)}/cancel`,
          token,
          timeoutMs: config.upstreamTimeoutsMs.json,
        })
        // A cancel answer carries no fields we need; only its success matters.
        if (answer.body === undefined && answer.httpStatus >= 200 && answer.httpStatus < 300) return
        readAnswer(answer, AnyData)
      })
    },

    downloadRender(renderId) {
      return answeredAs(
        'export_file_missing',
        withRetries(config, tokens, true, async (token) => {
          const res = await sendUpstream(config, {
            method: 'GET',
            path: `/api/render/proxy/${encodeURIComponent(renderId)}/download`,
            token,
            timeoutMs: config.upstreamTimeoutsMs.streamHeaders,
          })
          const type = res.headers.get('Content-Type') ?? ''
          if (res.ok && !type.includes('application/json')) return res
          return refuseAnswer(res)
        }),
      )
    },

    async claim({ taskId, upstreamSessionId }) {
      const data = await answeredAs(
        'claim_unavailable',
        json(
          {
            method: 'POST',
            path: '/api/auth/claim-token',
            json: { task_id: taskId, session_id: upstreamSessionId },
            timeoutMs: config.upstreamTimeoutsMs.json,
          },
          ClaimTokenData,
        ),
      )
      const expiresAt = isoOf(data.expires_at)
      return { claimToken: data.claim_token, ...(expiresAt ? { expiresAt } : {}) }
    },
  }
}

/**
 * A 404 (or 409/410) without a code of its own is an answer, not an outage: the backend has no
 * such file or project. It becomes `code`, so the user is not told NemoVideo is unreachable.
 */
async function answeredAs<T>(
  code: 'export_file_missing' | 'claim_unavailable',
  call: Promise<T>,
): Promise<T> {
  try {
    return await call
  } catch (err) {
    const status = err instanceof UpstreamError ? err.httpStatus : undefined
    if (
      err instanceof UpstreamError &&
      err.code === 'upstream_unavailable' &&
      (status === 404 || status === 409 || status === 410)
    ) {
      throw new UpstreamError(code, {
        httpStatus: status,
        ...(err.upstreamCode !== undefined && { upstreamCode: err.upstreamCode }),
      })
    }
    throw err
  }
}

// Any answer passes: used where only the envelope's success or code matters.
const AnyData = z.unknown()

/**
 * Runs `attempt` with the current token: once more with a renewed token after a 1001, and once
 * more after UPSTREAM_RETRY_AFTER_MS after a 429. A call whose body cannot be replayed renews the
 * token for the next try but is not sent again.
 */
async function withRetries<T>(
  config: Config,
  tokens: TokenSource,
  replayable: boolean,
  attempt: (token: string) => Promise<T>,
): Promise<T> {
  let token = await tokens.current()
  let reauthed = false
  let waited = false
  for (;;) {
    try {
      return await attempt(token)
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err
      if (err.code === 'missing_client_id') {
        // 400 means a missing X-Client-Id only on the token call; elsewhere it is a refusal we cannot name.
        throw new UpstreamError('upstream_unavailable', {
          ...(err.httpStatus !== undefined && { httpStatus: err.httpStatus }),
          ...(err.upstreamCode !== undefined && { upstreamCode: err.upstreamCode }),
        })
      }
      if (err.code === 'token_expired' && !reauthed) {
        reauthed = true
        token = await tokens.renew(token)
        if (replayable) continue
      } else if (err.code === 'upstream_rate_limited' && !waited && replayable) {
        waited = true
        await new Promise((resolve) => setTimeout(resolve, config.upstreamRetryAfterMs))
        continue
      }
      throw err
    }
  }
}

function uploadPath(upstreamSessionId: string): string {
  return `/api/upload-video/nemo_agent/me/${encodeURIComponent(upstreamSessionId)}`
}

/**
 * An answer that is not the stream or file asked for: an error answer is JSON, read for the
 * backend's code (1001, 1002, 2001...); anything else is `upstream_unavailable`.
 */
async function refuseAnswer(res: Response): Promise<never> {
  const body = await res.text()
  readAnswer(
    {
      httpStatus: res.ok ? 502 : res.status,
      retryAfter: res.headers.get('Retry-After'),
      body: safeJson(body),
    },
    AnyData,
  )
  throw new UpstreamError('upstream_unavailable', { httpStatus: res.status })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isoOf(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined
  const ms = typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(value)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}
