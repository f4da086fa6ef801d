import { z } from 'zod'
import type { Draft, MediaItem, Segment } from './draft.ts'

/**
 * Shape profiles: the same backend behaviour, answered in different plausible shapes, because
 * NemoVideo's exact JSON is partly unknown (upstream-contract.md). The simulator keeps one
 * canonical state; a profile only changes how answers and stream events are written.
 * - `documented`: the shapes of the contract page (and the config's nesting/rotation knobs);
 * - `minimal`: ADK-style and bare: ADK events only, no ids beyond the session id, no
 *   `session_state_applied`, no progress, a render status without any file URL (the worker must
 *   use the token-only download), segments without names or kinds;
 * - `variant`: synonyms, other keys and nesting: `access_token`/`anon_id`, `session.id`/`bind_id`,
 *   uploads under `media` next to an empty `files`, status words like `queued`/`rendering`/
 *   `compositing`/`succeeded` with fractional string progress and `result.download_url`, draft
 *   segments whose name, text, volume (0-100) and source sit in `m`, `text_delta` events.
 * A shape met later becomes a profile here, and the worker's contract suite runs against it.
 */
export const ShapeProfile = z.enum(['documented', 'minimal', 'variant'])
export type ShapeProfile = z.infer<typeof ShapeProfile>

/** What a profile tells a client about itself (the contract tests ask). */
export const PROFILE_TRAITS: Readonly<
  Record<ShapeProfile, { namesBindId: boolean; namesFileUrl: boolean }>
> = {
  documented: { namesBindId: true, namesFileUrl: true },
  minimal: { namesBindId: false, namesFileUrl: false },
  variant: { namesBindId: true, namesFileUrl: true },
}

export function tokenData(
  profile: ShapeProfile,
  t: { token: string; userId: string; credits: number; expiresAt: number; scopes: string[] },
) {
  if (profile === 'minimal') return { token: t.token }
  if (profile === 'variant')
    return {
      access_token: t.token,
      anon_id: t.userId,
      expires_in: Math.round((t.expiresAt - Date.now()) / 1000),
    }
  return {
    token: t.token,
    user_id: t.userId,
    credits: t.credits,
    expires_at: new Date(t.expiresAt).toISOString(),
    scopes: t.scopes,
  }
}

/** The session answer's `data` and top-level extras; `documented` follows `sessionIdNesting`. */
export function sessionAnswer(
  profile: ShapeProfile,
  nesting: 'data' | 'top' | 'both',
  s: { id: string; taskId: string; userId: string; taskName: string },
): { data: unknown; extra: Record<string, unknown> } {
  if (profile === 'minimal') return { data: { session_id: s.id }, extra: {} }
  if (profile === 'variant')
    return {
      data: { session: { id: s.id, name: s.taskName }, task: { id: s.taskId }, bind_id: s.userId },
      extra: {},
    }
  const data = { task_id: s.taskId, user_id: s.userId, task_name: s.taskName }
  return {
    data: nesting === 'top' ? data : { ...data, session_id: s.id },
    extra: nesting === 'data' ? {} : { session_id: s.id },
  }
}

/** The state answer's `data`. */
export function stateData(
  profile: ShapeProfile,
  documented: {
    state: {
      draft: Draft
      canvas_config: { width: number; height: number; ratio?: string }
    } & Record<string, unknown>
  } & Record<string, unknown>,
) {
  const draft = documented.state.draft
  if (profile === 'minimal') return { state: { draft: minimalDraft(draft) } }
  if (profile === 'variant') {
    const { width, height } = documented.state.canvas_config
    return {
      session_id: documented.session_id,
      bind_id: documented.user_id,
      draft: variantDraft(draft),
      canvas: { w: width, h: height },
    }
  }
  return documented
}

/** The upload answer's `data`. */
export function uploadData(profile: ShapeProfile, files: Array<Omit<MediaItem, 'size'>>) {
  if (profile === 'minimal')
    return { files: files.map((f) => ({ filename: f.filename, cdn_url: f.cdn_url })) }
  if (profile === 'variant') {
    const media = files.map((f) => ({
      name: f.filename,
      type: `${f.file_type}/${f.filename.split('.').pop()}`,
      url: f.cdn_url,
      duration_ms: Math.round(f.duration * 1000),
      w: f.width,
      h: f.height,
    }))
    return { files: [], media }
  }
  return { files, session_state_applied: true }
}

type Status = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled'

const VARIANT_WORDS: Record<Status, readonly string[]> = {
  pending: ['queued', 'waiting'],
  // `compositing` is a word no reader knows: it must still read as "in progress" (the 2nd poll
  // of a 3-poll render, as in the contract suite, sees it).
  processing: ['rendering', 'encoding', 'compositing'],
  completed: ['succeeded'],
  failed: ['error'],
  cancelled: ['canceled'],
}

/**
 * A render status answer (the whole body after `success: true`), or null for the documented
 * profile (the route keeps its own `statusShape` rotation).
 */
export function renderStatusBody(
  profile: ShapeProfile,
  r: {
    id: string
    status: Status
    progress: number
    url: string | undefined
    error: string | undefined
    polls: number
  },
): Record<string, unknown> | null {
  if (profile === 'minimal')
    return { data: { id: r.id, status: r.status, ...(r.error && { error: r.error }) } }
  if (profile === 'variant') {
    const words = VARIANT_WORDS[r.status]
    return {
      data: {
        render: { id: r.id },
        state: words[r.polls % words.length],
        progress: String(Math.round(r.progress) / 100),
        ...(r.url && { result: { download_url: r.url, format: 'mp4' } }),
        ...(r.error && { error_message: r.error }),
      },
    }
  }
  return null
}

/** The submit answer (after `success: true`). */
export function renderSubmitBody(profile: ShapeProfile, id: string): Record<string, unknown> {
  if (profile === 'minimal') return { data: { id } }
  if (profile === 'variant') return { data: { render: { id }, state: 'queued', progress: '0%' } }
  return { data: { id, status: 'pending', progress: 0 } }
}

export function claimData(profile: ShapeProfile, claimToken: string, expiresAt: number) {
  if (profile === 'minimal') return { claim_token: claimToken }
  if (profile === 'variant') return { claimToken, expiresAt: Math.round(expiresAt / 1000) }
  return { claim_token: claimToken, expires_at: new Date(expiresAt).toISOString() }
}

/** A chat event of the `variant` profile: other type names and keys for the same meaning. */
export function variantEvent(
  kind: 'text' | 'tool_call' | 'tool_result' | 'heartbeat',
  fields: Record<string, unknown> = {},
) {
  if (kind === 'text') return { type: 'text_delta', delta: fields.content }
  if (kind === 'tool_call')
    return { type: 'function_call', name: fields.name, arguments: fields.args }
  if (kind === 'tool_result')
    return { type: 'function_response', name: fields.name, output: fields.result }
  return { type: 'ping' }
}

/** Segments reduced to times, source, text and volume: labels and kinds must come from elsewhere. */
function minimalDraft(draft: Draft): unknown {
  return {
    ...draft,
    t: draft.t.map((track) => ({
      tt: track.tt,
      sg: track.sg.map((s) => ({
        st: s.st,
        d: s.d,
        ...(s.url && { url: s.url }),
        ...(s.txt && { txt: s.txt }),
        ...(s.vol !== undefined && { vol: s.vol }),
      })),
    })),
  }
}

const TRACK_WORD: Readonly<Record<number, string>> = { 0: 'video', 1: 'audio', 7: 'text' }

/** Track types as words, segment fields in `m` under other names, volume as 0-100. */
function variantDraft(draft: Draft): unknown {
  return {
    ...draft,
    t: draft.t.map((track) => ({
      tt: TRACK_WORD[track.tt] ?? track.tt,
      name: track.nm,
      sg: track.sg.map((s: Segment) => ({
        id: s.id,
        start: s.st,
        duration: s.d,
        m: {
          ...(s.nm && { name: s.nm }),
          ...(s.txt && { content: s.txt }),
          ...(s.vol !== undefined && { volume: Math.round(s.vol * 100) }),
          ...(s.url && { src: s.url }),
          ...(s.kind && { type: s.kind === 'image' ? 'photo' : s.kind }),
        },
      })),
    })),
  }
}
