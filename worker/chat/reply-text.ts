import type { SuggestedAction } from '../../shared/api/chat-events.ts'

/** Rewrites the backend's GUI wording ("click Export") in whole sentences and names the actions. */
export interface GuiWording {
  translate(text: string): { text: string; actions: readonly SuggestedAction[] }
  /** Where in a sentence still arriving a rule can start to change it (gui-wording.ts). */
  rewritableFrom(text: string): number
}

/** A sentence ends at . ! ? … followed by a space, at Chinese end punctuation, or at a line break. */
const SENTENCE_END = /[.!?…]+["')\]]*(?=\s)|[。！？；]+["'”’）)]*|\n/g
/** Held text that ends like a sentence, though no space followed yet. */
const ENDS_SENTENCE = /(?:[.!?…]+["')\]]*|[。！？；]+["'”’）)]*)\s*$/
/** Text without a sentence end is still let out past this length, at a space when there is one. */
const MAX_HELD_CHARS = 400
/** The backend's "I encountered a temporary issue" (contract: ignorable after normal output). */
const TEMPORARY_ISSUE =
  /I (?:have )?encountered a temporary issue|我?遇到了?(?:一个)?临时(?:性)?问题/i
/** Where TEMPORARY_ISSUE can start: "I" (if the words after it go on as below), or 遇到. */
const ISSUE_START = /\bi\b|我?遇到/gi
/** How the English issue opens, in lower case. */
const ISSUE_OPENINGS = ['i encountered', 'i have encountered']
/** Text after the issue beyond this length is a real reply going on, not the issue's tail. */
const MAX_ISSUE_TAIL_CHARS = 200
/**
 * Held text (an unfinished sentence) goes out at the latest this long after it arrived, whatever
 * follows: text reaches the client within 250 ms of arriving upstream (with room for the relay).
 * Chunks of a sentence that arrive within it are translated together, so a phrase split across
 * chunks ("Click Exp" + "ort") is still recognised.
 */
export const TEXT_FLUSH_MS = 150

/**
 * The reply's text on its way to the client. The GUI-wording translator works on whole sentences,
 * so a delta is held until its sentence ends, then translated and let out; but never longer than
 * `flushAfterMs` after it arrived, nor past any other event of the stream (`flush()`): an
 * unfinished sentence is then translated as far as it goes and let out, and its rest follows as
 * its own piece. A reader who has heard nothing for `flushAfterMs` (a reply's start, text after
 * a tool's work) does not wait for the sentence: its start goes out at once as far as no rule can
 * rewrite it (`rewritableFrom`), and the sentence is translated whole when it ends; holding the
 * rest in sentences keeps a streamed reply to a few stored events per second. A "temporary issue"
 * sentence is held until the turn shows whether it was the trailing noise the contract says to
 * ignore (dropped at the end after normal output) or not.
 */
export class ReplyText {
  /** Suggested actions named by the wording of the whole reply, in order of first mention. */
  readonly actions = new Set<SuggestedAction>()
  private readonly wording: GuiWording
  private readonly emit: (delta: string) => void
  /** Text not translated yet: the start of an unfinished sentence. */
  private pending = ''
  /** How much of `pending` went out early, as it came (a start no rule can rewrite). */
  private early = 0
  private lastOutAt = Number.NEGATIVE_INFINITY
  private heldIssue = ''
  private output = false
  private emitted = false
  /** A new backend message starts with the next text (the last one ended at a tool call). */
  private boundary = false
  private lastChar = ''
  private readonly flushAfterMs: number
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  /** What one step (a push, a flush) lets out, sent as one delta. */
  private out = ''

  constructor(wording: GuiWording, emit: (delta: string) => void, flushAfterMs = TEXT_FLUSH_MS) {
    this.wording = wording
    this.emit = emit
    this.flushAfterMs = flushAfterMs
  }

  /** True once some text reached the client. */
  get hadText(): boolean {
    return this.emitted
  }

  /** The backend did something (a tool call): a later "temporary issue" comes after real output. */
  noteActivity(): void {
    this.flush()
    this.releaseIssue()
    this.drain()
    this.output = true
    this.messageBoundary()
  }

  /**
   * The backend's next text is a new message (it called or heard from a tool in between). Its
   * messages carry no separator of their own, so "…video now." and "Your video is ready" would
   * run together.
   */
  messageBoundary(): void {
    this.flush()
    if (this.lastChar !== '') this.boundary = true
  }

  /**
   * Lets out the held part of an unfinished sentence now (another event came, or time is up). Its
   * complete words are translated; a last word the chunk may have cut ("click Exp") goes out as it
   * came, so a rule never reads half a button name.
   */
  flush(whole = false): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    if (this.pending === '') return
    const held = this.pending
    const early = this.early
    this.pending = ''
    this.early = 0
    // Ending in sentence punctuation, the last word is whole (the period only waited for a space).
    const cut =
      whole || ENDS_SENTENCE.test(held) ? held.length : (/\S+$/.exec(held)?.index ?? held.length)
    if (cut > early) this.release(held.slice(0, cut), early)
    const rest = Math.max(cut, early)
    if (rest < held.length) this.sayRaw(held.slice(rest))
    this.drain()
  }

  push(delta: string): void {
    if (delta === '') return
    if (this.boundary && !/\s/.test(this.lastChar) && !/^\s/.test(delta)) delta = `\n\n${delta}`
    this.boundary = false
    this.lastChar = delta.at(-1) ?? ''
    this.pending += delta
    const cut = lastSentenceEnd(this.pending)
    if (cut > 0) {
      this.releasePending(cut)
    } else if (this.pending.length > MAX_HELD_CHARS) {
      const space = this.pending.lastIndexOf(' ')
      this.releasePending(space > 0 ? space + 1 : this.pending.length)
    }
    if (Date.now() - this.lastOutAt >= this.flushAfterMs) this.letOutStart()
    this.drain()
    if (this.pending === '') {
      clearTimeout(this.flushTimer)
      this.flushTimer = undefined
    } else if (this.flushTimer === undefined) {
      // Armed by the oldest held text only: later chunks do not push its deadline back.
      this.flushTimer = setTimeout(() => this.flush(), this.flushAfterMs)
    }
  }

  /** End of the turn: lets out the rest, and drops a trailing "temporary issue" after real output. */
  finish(): void {
    this.flush(true)
    if (this.heldIssue !== '' && !this.output) this.say(this.heldIssue)
    this.heldIssue = ''
    this.drain()
  }

  /** Translates and lets out `pending` up to `to`, the part that went out early skipped. */
  private releasePending(to: number): void {
    const early = Math.min(this.early, to)
    this.release(this.pending.slice(0, to), early)
    this.early -= early
    this.pending = this.pending.slice(to)
  }

  /**
   * Lets out the start of the unfinished sentence that no rule (nor the "temporary issue") can
   * claim, without its last word, which the next chunk may go on.
   */
  private letOutStart(): void {
    if (this.heldIssue !== '') return
    const text = this.pending
    const lastWord = /\S*$/.exec(text)?.index ?? text.length
    const to = Math.min(lastWord, this.wording.rewritableFrom(text), issueFrom(text))
    if (to <= this.early || text.slice(this.early, to).trim() === '') return
    this.sayRaw(text.slice(this.early, to))
    this.early = to
  }

  /** `skip`: how much of the first sentence went out early, as it came. */
  private release(text: string, skip = 0): void {
    for (const sentence of splitSentences(text)) {
      if (this.heldIssue !== '') {
        this.heldIssue += sentence
        if (this.heldIssue.length > MAX_ISSUE_TAIL_CHARS) this.releaseIssue()
      } else {
        // Separate backend messages can arrive glued ("…Dreams".I encountered…): cut at the phrase.
        const issue = TEMPORARY_ISSUE.exec(sentence)
        if (issue === null) {
          this.say(sentence, skip)
        } else if (sentence.slice(0, issue.index).trim() === '') {
          this.heldIssue = sentence
        } else {
          this.say(sentence.slice(0, issue.index), skip)
          this.heldIssue = sentence.slice(issue.index)
        }
      }
      skip = 0
    }
  }

  private drain(): void {
    if (this.out === '') return
    const text = this.out
    this.out = ''
    this.lastOutAt = Date.now()
    this.emit(text)
  }

  private releaseIssue(): void {
    if (this.heldIssue === '') return
    const held = this.heldIssue
    this.heldIssue = ''
    this.say(held)
  }

  /** Text let out untranslated (a cut word), keeping the issue hold and spacing rules. */
  private sayRaw(text: string): void {
    if (this.heldIssue !== '') {
      this.heldIssue += text
      return
    }
    this.out += this.emitted ? text : text.trimStart()
    this.emitted = true
    this.output = true
  }

  /** `skip`: how much of `text` went out early, as it came. */
  private say(text: string, skip = 0): void {
    if (text.trim() === '') {
      if (this.emitted && text.length > skip) this.out += text.slice(skip)
      return
    }
    // The translator recognises an instruction at the start of a sentence: keep the space apart.
    const lead = /^\s*/.exec(text)?.[0] ?? ''
    const translated = this.wording.translate(text.slice(lead.length))
    const sent = text.slice(lead.length, Math.max(skip, lead.length))
    if (skip > 0 && !translated.text.startsWith(sent)) {
      // A rule took words that already went out: what follows them goes out as it came.
      this.sayRaw(text.slice(skip))
      return
    }
    for (const action of translated.actions) this.actions.add(action)
    const from = skip > 0 ? sent.length : 0
    this.out +=
      (this.emitted && skip <= lead.length ? lead.slice(skip) : '') + translated.text.slice(from)
    this.emitted = true
    this.output = true
  }
}

function lastSentenceEnd(text: string): number {
  let end = 0
  for (const match of text.matchAll(SENTENCE_END)) end = match.index + match[0].length
  return end
}

function splitSentences(text: string): string[] {
  const out: string[] = []
  let from = 0
  for (const match of text.matchAll(SENTENCE_END)) {
    const to = match.index + match[0].length
    out.push(text.slice(from, to))
    from = to
  }
  if (from < text.length) out.push(text.slice(from))
  return out
}

/** Where the "temporary issue" sentence may be starting, though only its first words have come. */
function issueFrom(text: string): number {
  for (const opening of text.matchAll(ISSUE_START)) {
    if (!/^i$/i.test(opening[0])) return opening.index
    const rest = text.slice(opening.index).toLowerCase().replace(/\s+/g, ' ')
    if (ISSUE_OPENINGS.some((p) => rest.startsWith(p) || p.startsWith(rest))) return opening.index
  }
  return text.length
}
