/**
 * An article's text as a video script, at the length the user chose: like Lumen5's "summarise /
 * use every sentence", the lead sentences of each paragraph for a short video, or all of them.
 * Pure, so the picker and the tests get the same script from the same paragraphs.
 */

export const SCRIPT_LENGTHS = ['short', 'medium', 'full'] as const
export type ScriptLength = (typeof SCRIPT_LENGTHS)[number]

/** Sentences kept per paragraph and the script's size, in words, for each length. */
const SHAPES: Readonly<Record<ScriptLength, { perParagraph: number; maxWords: number }>> = {
  short: { perParagraph: 1, maxWords: 90 },
  medium: { perParagraph: 2, maxWords: 220 },
  full: { perParagraph: Infinity, maxWords: Infinity },
}

/**
 * A script stays well under the worker's 8,000-character message limit: the request also carries
 * the instruction around it.
 */
export const SCRIPT_MAX_CHARS = 7000

/** The sentences of a paragraph, by the platform's sentence rules for `lang` where it has them. */
export function sentencesOf(text: string, lang = 'en'): string[] {
  const clean = text.replace(/\s+/g, ' ').trim()
  if (!clean) return []
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter
  if (Segmenter) {
    const seg = new Segmenter(lang || 'en', { granularity: 'sentence' })
    return [...seg.segment(clean)].map((s) => s.segment.trim()).filter(Boolean)
  }
  return (
    clean.match(/[^.!?。！？]+[.!?。！？]+["'”’)]*|[^.!?。！？]+$/g)?.map((s) => s.trim()) ?? [
      clean,
    ]
  )
}

/** Words of a text; each Han character counts as half a word (a Chinese word is ~2 characters). */
export function wordCount(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0
  const words = text.replace(/\p{Script=Han}/gu, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0
  return words + Math.ceil(han / 2)
}

/**
 * The script for `length`: paragraphs in order, each cut to its lead sentences, stopping before
 * the word budget is passed (the first sentence always stays), one paragraph per line.
 */
export function scriptFor(
  paragraphs: readonly string[],
  length: ScriptLength,
  lang = 'en',
): string {
  const { perParagraph, maxWords } = SHAPES[length]
  const out: string[] = []
  let words = 0
  outer: for (const paragraph of paragraphs) {
    const kept: string[] = []
    for (const sentence of sentencesOf(paragraph, lang).slice(0, perParagraph)) {
      const n = wordCount(sentence)
      if (words > 0 && words + n > maxWords) {
        if (kept.length) out.push(kept.join(' '))
        break outer
      }
      kept.push(sentence)
      words += n
    }
    if (kept.length) out.push(kept.join(' '))
  }
  return clip(out.join('\n\n'), SCRIPT_MAX_CHARS)
}

/** At most `max` characters, cut at the last sentence or line end that fits. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const head = text.slice(0, max)
  const cut = Math.max(
    head.lastIndexOf('\n'),
    ...['. ', '。', '! ', '? '].map((m) => head.lastIndexOf(m) + 1),
  )
  return (cut > max / 2 ? head.slice(0, cut) : head).trim()
}
