import { z } from 'zod'
import { mediaKindOf, mediaFormatOf } from '../../../shared/media.ts'
import { KEYS } from './keys.ts'
import { asFlag, asHttpUrl, asNumber, asText, isRecord, nests, pick, type Rec } from './pick.ts'

export const UpstreamFileType = z.enum(['video', 'image', 'audio'])
export type UpstreamFileType = z.infer<typeof UpstreamFileType>

const F = KEYS.upload.file

/** "video", "VIDEO", "video/mp4", "mp4" -> video. */
export function fileTypeOf(value: unknown): UpstreamFileType | undefined {
  const text = asText(value)?.toLowerCase()
  if (!text) return undefined
  const head = text.split('/')[0] ?? ''
  if (head === 'video' || head === 'image' || head === 'audio') return head
  if (head === 'photo' || head === 'picture' || head === 'img') return 'image'
  if (head === 'music' || head === 'sound') return 'audio'
  const format = mediaFormatOf(`f.${text}`)
  return format ? mediaKindOf(format) : undefined
}

function fileOf(raw: unknown) {
  if (!isRecord(raw)) return undefined
  const one = [raw]
  const url = pick(one, F.url, asHttpUrl)
  const name = pick(one, F.name, asText) ?? (url ? decodeName(url) : undefined)
  const ms = pick(one, F.durationMs, asNumber)
  const duration = pick(one, F.durationSec, asNumber) ?? (ms !== undefined ? ms / 1000 : undefined)
  const fileType =
    pick(one, F.type, fileTypeOf) ?? (name ? fileTypeOf(name.split('.').pop()) : undefined)
  return {
    filename: name ?? 'file',
    fileType,
    cdnUrl: url,
    duration,
    width: pick(one, F.width, asNumber),
    height: pick(one, F.height, asNumber),
  }
}

function decodeName(url: string): string | undefined {
  const last = url.split(/[?#]/, 1)[0]?.split('/').pop()
  if (!last) return undefined
  try {
    return decodeURIComponent(last)
  } catch {
    return last
  }
}

const asList = (v: unknown): Rec[] | undefined =>
  Array.isArray(v) && v.some(isRecord) ? v.filter(isRecord) : undefined
const asSingle = (v: unknown): Rec[] | undefined =>
  isRecord(v) && Object.keys(v).length > 0 ? [v] : undefined

/**
 * An upload answer in any plausible shape (../README.md, "Upload answers"): the files from the
 * first list of KEYS.upload.lists (or `data` itself as a list, or one file object), under
 * `data` (or `data.result`) or at the top; `applied` from KEYS.upload.applied. `readable` says whether the answer
 * named its files or its applied flag at all: when it did not, the client reads the state.
 */
export function readUploadAnswer(body: unknown) {
  const where = nests(body, ['result'])
  const data = isRecord(body) ? body.data : undefined
  const raws =
    (Array.isArray(data) ? asList(data) : undefined) ??
    pick(where, KEYS.upload.lists, asList) ??
    pick(where, KEYS.upload.single, asSingle) ??
    []
  const files = raws.map(fileOf).filter((f) => f !== undefined)
  const flag = pick(where, KEYS.upload.applied, asFlag)
  return {
    files,
    // The docs' `session_state_applied`; an answer that lists files but says nothing applied them.
    applied: flag ?? files.length > 0,
    readable: flag !== undefined || files.length > 0,
  }
}

/** `readUploadAnswer` as a schema, for `readAnswer(…, UploadData, 'whole')`. */
export const UploadData = z.unknown().transform((body) => readUploadAnswer(body))
export type UploadData = z.infer<typeof UploadData>
