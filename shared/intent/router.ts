import { z } from 'zod'
import { ExportPreset } from '../api/exports.ts'
import { FILLERS, INTENT_WORDS, PRESET_BY_WORD, type IntentWords } from './vocabulary.ts'

/** What a user's message asks for: one of the direct actions, or a chat turn for the backend. */
export const Intent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('export'), preset: z.optional(ExportPreset) }),
  z.object({ kind: z.literal('credits') }),
  z.object({ kind: z.literal('state') }),
  z.object({ kind: z.literal('upload') }),
  z.object({ kind: z.literal('chat') }),
])
export type Intent = z.infer<typeof Intent>

type DirectKind = keyof typeof INTENT_WORDS

/** Longer messages are requests for the backend, whatever words they contain. */
const MAX_COMMAND_WORDS = 12
const FILLER_SET: ReadonlySet<string> = new Set(FILLERS)
const CJK_DICTIONARY: readonly string[] = [
  ...new Set(
    [...FILLERS, ...Object.values(INTENT_WORDS).flatMap((w: IntentWords) => allWords(w))].filter(
      (word) => /[\u3400-\u9fff]/.test(word),
    ),
  ),
].sort((a, b) => b.length - a.length)

/**
 * Routes a message (contract page, "Routing what the user types"). Attachments mean upload.
 * Otherwise a message is a direct command only when it is command-like: it holds a verb of exactly
 * one intent ("export", "积分", or a weak verb with its object: "send me the video") and every
 * other word is that intent's vocabulary or a polite filler ("please", "帮我", "1080p", "竖屏").
 * So "export 1080p MP4" exports but "add a title that says export soon" is an edit for the chat,
 * and so is anything longer than 12 words. Export presets come from "9:16"/"vertical"/"竖屏",
 * "16:9"/"landscape"/"横屏", "1:1"/"square"/"方形"; two different ones give no preset.
 */
export function routeIntent(text: string, opts: { hasAttachments?: boolean } = {}): Intent {
  if (opts.hasAttachments) return { kind: 'upload' }
  const words = tokenize(text)
  if (words.length === 0 || words.length > MAX_COMMAND_WORDS) return { kind: 'chat' }
  const matches = (Object.keys(INTENT_WORDS) as DirectKind[]).filter((kind) =>
    isCommand(words, INTENT_WORDS[kind]),
  )
  if (matches.length !== 1) return { kind: 'chat' }
  const kind = matches[0] as DirectKind
  if (kind !== 'export') return { kind }
  const presets = new Set(words.flatMap((w) => PRESET_BY_WORD.get(w) ?? []))
  const [preset] = presets
  return presets.size === 1 && preset ? { kind, preset } : { kind }
}

function isCommand(words: readonly string[], intent: IntentWords): boolean {
  const verbs = new Set(intent.verbs)
  const weak = new Set(intent.weakVerbs ?? [])
  const objects = new Set(intent.objects ?? [])
  const known = new Set([...verbs, ...weak, ...intent.vocabulary])
  const hasVerb =
    words.some((w) => verbs.has(w)) ||
    (words.some((w) => weak.has(w)) && words.some((w) => objects.has(w)))
  return hasVerb && words.every((w) => known.has(w) || FILLER_SET.has(w))
}

/**
 * Lower-cased words: Latin words, ratios ("9:16"), sizes ("1080x1920"), and Chinese split by the
 * longest dictionary word, an unknown character being a word of its own.
 */
export function tokenize(text: string): string[] {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/(\d)\s*:\s*(\d)/g, '$1:$2')
  const raw = normalized.match(/\d+:\d+|[a-z0-9][a-z0-9.'+-]*|[\u3400-\u9fff]+/g) ?? []
  return raw.flatMap((w) =>
    /[\u3400-\u9fff]/.test(w) ? splitChinese(w) : [w.replace(/[.'-]+$/, '')],
  )
}

function splitChinese(run: string): string[] {
  const words: string[] = []
  for (let i = 0; i < run.length;) {
    const word = CJK_DICTIONARY.find((d) => run.startsWith(d, i)) ?? run.charAt(i)
    words.push(word)
    i += word.length
  }
  return words
}

function allWords(w: IntentWords): string[] {
  return [...w.verbs, ...(w.weakVerbs ?? []), ...(w.objects ?? []), ...w.vocabulary]
}
