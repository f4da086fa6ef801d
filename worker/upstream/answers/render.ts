import { z } from 'zod'
import { KEYS, RENDER_STATUS_WORDS } from './keys.ts'
import { asHttpUrl, asNumber, asText, isRecord, nests, pick } from './pick.ts'

export const UpstreamRenderStatusValue = z.enum([
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
])
export type UpstreamRenderStatusValue = z.infer<typeof UpstreamRenderStatusValue>

const WORD_TO_STATUS = new Map<string, 'pending' | 'processing' | 'completed' | 'failed'>()
for (const [status, words] of Object.entries(RENDER_STATUS_WORDS)) {
  // A render the backend cancelled on its own is a failed render (a cancel we asked for has
  // already made the job `cancelled`, so its answer is never applied).
  const mapped =
    status === 'cancelled'
      ? 'failed'
      : (status as 'pending' | 'processing' | 'completed' | 'failed')
  for (const word of words) WORD_TO_STATUS.set(word, mapped)
}

/** "In Progress", "in-progress" -> "in_progress". */
function wordOf(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : asText(value)
  return text?.toLowerCase().replace(/[\s-]+/g, '_')
}

/**
 * Progress as a percentage: 0-100, a fraction 0-1 (a non-integer at most 1), or a string of
 * either ("45", "45%", "0.45"). Anything else reads as missing.
 */
export function progressPercent(value: unknown): number | undefined {
  let n: number | undefined
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(value)) {
    n = Number(value.replace('%', ''))
  } else {
    n = asNumber(value)
    if (n !== undefined && n > 0 && n < 1) n *= 100
  }
  if (n === undefined || n < 0) return undefined
  return Math.min(100, Math.round(n * 10) / 10)
}

function errorTextOf(value: unknown): string | undefined {
  if (isRecord(value))
    return asText(value.message) ?? asText(value.msg) ?? asText(value.reason) ?? asText(value.code)
  return asText(value)
}

/** What the worker reads from a render submit or status answer. */
export interface RenderReading {
  status: 'pending' | 'processing' | 'completed' | 'failed'
  /** 0-100. */
  progress?: number
  outputUrl?: string
  error?: string
  /** The backend's word when it was none of the known ones (read as `processing`), or `(none)`. */
  unknownStatus?: string
}

/**
 * A render submit or status answer, whatever its shape (../README.md, "Render answers"): the
 * status word mapped through RENDER_STATUS_WORDS (an unknown word means still in progress), the
 * progress in any of its forms, and the file URL from any key of KEYS.render.url, under `data`
 * (or `data.render`…) or at the top. Never fails: an answer without a status is in progress,
 * unless it names a file, which only a finished render has.
 */
export function readRenderAnswer(body: unknown): RenderReading {
  const where = nests(body, KEYS.render.nests)
  const word = pick(where, KEYS.render.status, wordOf)
  const outputUrl = pick(where, KEYS.render.url, asHttpUrl)
  const progress = pick(where, KEYS.render.progress, progressPercent)
  let status = word === undefined ? undefined : WORD_TO_STATUS.get(word)
  let unknownStatus: string | undefined
  if (status === undefined) {
    if (word === undefined && outputUrl) status = 'completed'
    else {
      status = 'processing'
      unknownStatus = (word ?? '(none)').slice(0, 40)
    }
  }
  const cancelled =
    word !== undefined && (RENDER_STATUS_WORDS.cancelled as readonly string[]).includes(word)
  const error =
    status === 'failed'
      ? (pick(where, KEYS.render.error, errorTextOf) ??
        (cancelled ? 'cancelled by the backend' : undefined))
      : undefined
  return {
    status,
    ...(progress !== undefined && { progress: status === 'completed' ? 100 : progress }),
    ...(outputUrl && { outputUrl }),
    ...(error && { error: error.slice(0, 300) }),
    ...(unknownStatus !== undefined && { unknownStatus }),
  }
}

/** `readRenderAnswer` as a schema, for `readAnswer(…, RenderAnswer, 'whole')`. */
export const RenderAnswer = z.unknown().transform((body) => readRenderAnswer(body))
export type RenderAnswer = z.infer<typeof RenderAnswer>
