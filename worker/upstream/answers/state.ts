import { z } from 'zod'
import { KEYS } from './keys.ts'
import { asNumber, asText, isRecord, nests, pick } from './pick.ts'
import { readIds } from './session.ts'

function canvasOf(value: unknown): { width: number; height: number; ratio?: string } | undefined {
  if (!isRecord(value)) return undefined
  const width = asNumber(value.width ?? value.w)
  const height = asNumber(value.height ?? value.h)
  if (width === undefined || height === undefined) return undefined
  const ratio = asText(value.ratio ?? value.aspect_ratio ?? value.aspectRatio)
  return { width, height, ...(ratio && { ratio }) }
}

/** A draft: an object, or one given as a JSON string (normalizeDraft parses those). */
const asDraft = (v: unknown): unknown =>
  isRecord(v) || (typeof v === 'string' && v.trim().startsWith('{')) ? v : undefined

/**
 * The answer of `GET /api/state/nemo_agent/me/<sid>/latest`: the draft (`data.state.draft`, or
 * `data.draft`), the canvas, and the ids next to them (the user id by any key of KEYS.ids.bind).
 * The draft stays raw here: worker/draft reads it.
 */
export const StateData = z.unknown().transform((body) => {
  const where = nests(body)
  const draft = pick(where, KEYS.state.draft, asDraft) ?? null
  const canvas = pick(where, KEYS.state.canvas, canvasOf)
  const { userId } = readIds(body, ['state', 'session'])
  return { draft, canvas, userId }
})
export type StateData = z.infer<typeof StateData>
