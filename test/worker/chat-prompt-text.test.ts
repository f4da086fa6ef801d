import { describe, it } from 'vitest'
import type { ChatEvent } from '../../shared/api/chat-events.ts'
import { toApiError } from '../../shared/errors/table.ts'
import { guiWording } from '../../worker/chat/gui-wording.ts'
import { ReplyText, type GuiWording } from '../../worker/chat/reply-text.ts'
import { runChatTurn } from '../../worker/chat/run-engine.ts'
import { normalizeDraft, summarizeTimeline } from '../../worker/draft/index.ts'

// Text at once (issue 8, item 3): a text delta reaches the client before whatever follows it
// upstream (a tool run, heartbeats, silence), and the GUI wording stays right across chunks.
// No timed assertions: a stream that waits until the client has seen the text proves the order.

const encoder = new TextEncoder()
const data = (json: unknown) => `data: ${JSON.stringify(json)}\n\n`
const text = (content: string) => data({ type: 'text', content })

/** A signal the stream waits for; it gives up after `ms`, so a late text fails the test instead of hanging. */
function gate(ms = 5_000) {
  let open = () => {}
  const opened = new Promise<'seen' | 'timeout'>((resolve) => {
    open = () => resolve('seen')
    setTimeout(() => resolve('timeout'), ms)
  })
  return { open, opened }
}

type Step = string | { until: Promise<unknown> }

/** Plays chunks; `until` holds the stream (the backend busy with a tool run) until the promise settles. */
function stream(steps: Step[]): Response {
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const step = steps[i++]
        if (step === undefined) return controller.close()
        if (typeof step === 'string') return controller.enqueue(encoder.encode(step))
        await step.until
      }
    },
  })
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
}

function run(steps: Step[], onEvent: (event: ChatEvent) => void = () => {}, textFlushMs?: number) {
  const events: ChatEvent[] = []
  const done = runChatTurn({
    openStream: async () => stream(steps),
    readDraft: async () => ({ t: [] }),
    peekDraft: async () => ({ t: [] }),
    emit: (event) => {
      events.push(event)
      onEvent(event)
    },
    describeError: async () => toApiError('internal'),
    wording: guiWording,
    summarize: (draft) => {
      const timeline = normalizeDraft(draft)
      return { timeline, summary: summarizeTimeline(timeline) }
    },
    timings: {
      stillWorkingMs: 60_000,
      silenceTimeoutMs: 60_000,
      maxRunMs: 60_000,
      dropChecksMs: [5],
      ...(textFlushMs !== undefined && { textFlushMs }),
    },
  })
  return { done, events }
}

/** Event types, consecutive text events counted once. */
const kinds = (events: ChatEvent[]) =>
  events.map((e) => e.type).filter((type, i, all) => type !== 'text' || all[i - 1] !== 'text')
const said = (events: ChatEvent[]) =>
  events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')

describe('text at once', () => {
  it('lets the first sentence out before a slow tool run, though no whitespace follows it', async ({
    expect,
  }) => {
    const seen = gate()
    const t = run(
      [
        text('Sure, updating your timeline…'),
        data({ type: 'tool_call', name: 'edit' }),
        { until: seen.opened },
        data({ type: 'tool_result' }),
        text('Done.'),
      ],
      (e) => e.type === 'text' && seen.open(),
      60_000,
    )
    expect(await seen.opened).toBe('seen')
    await t.done
    expect(kinds(t.events)).toEqual(['text', 'activity', 'text', 'done'])
    expect(said(t.events)).toBe('Sure, updating your timeline…\n\nDone.')
  })

  it('lets an unfinished sentence out at a heartbeat or an empty keep-alive', async ({
    expect,
  }) => {
    for (const keepAlive of [
      data({ type: 'heartbeat' }),
      'data:\n\n',
      data({ type: 'progress', pct: 3 }),
    ]) {
      const seen = gate()
      const t = run(
        [text('Working on it'), keepAlive, { until: seen.opened }, text(' now.')],
        (e) => e.type === 'text' && seen.open(),
        60_000,
      )
      expect(await seen.opened).toBe('seen')
      await t.done
      expect(said(t.events)).toBe('Working on it now.')
    }
  })

  it('lets an unfinished sentence out after a short time when nothing follows', async ({
    expect,
  }) => {
    const seen = gate()
    const t = run(
      [text('Let me think'), { until: seen.opened }, text(' about it.')],
      (e) => e.type === 'text' && seen.open(),
      20,
    )
    expect(await seen.opened).toBe('seen')
    await t.done
    expect(said(t.events)).toBe('Let me think about it.')
  })

  it('translates a GUI phrase split across chunks that arrive together', async ({ expect }) => {
    const en = run([text('Great! Now cl'), text('ick Exp'), text('ort to get your video.')])
    await en.done
    expect(said(en.events)).toBe(`Great! Now say "export" (or press Export) to get your video.`)
    expect(en.events.at(-1)).toEqual({ type: 'done', actions: ['export'] })

    const zh = run([text('好了，请点击“导'), text('出”按钮。')])
    await zh.done
    expect(said(zh.events)).toBe('好了，请说“导出”（或按导出按钮），我就会开始渲染。')
  })

  it('never garbles a phrase an event cut in two: the words go out as they came', async ({
    expect,
  }) => {
    const t = run(
      [text('Now click Exp'), data({ type: 'heartbeat' }), text('ort.')],
      () => {},
      60_000,
    )
    await t.done
    expect(said(t.events)).toBe('Now click Export.')
  })
})

describe('ReplyText', () => {
  /** A reply's text and what it lets out; `flushAfterMs` 0: the reader always counts as waiting. */
  function replyOf(flushAfterMs: number, wording: GuiWording = guiWording) {
    const out: string[] = []
    return { out, reply: new ReplyText(wording, (d) => out.push(d), flushAfterMs) }
  }

  it('translates whole sentences; to a reader who heard nothing yet, the safe start of the rest', ({
    expect,
  }) => {
    const { out, reply } = replyOf(60_000)
    reply.push('Open the timeline to check. Then cl')
    expect(out).toEqual([`Say "status" (I'll summarise the timeline) to check. Then `])
    reply.push('ick Export.')
    reply.finish()
    expect(out.join('')).toBe(
      `Say "status" (I'll summarise the timeline) to check. Then say "export" (or press Export) and I'll render it.`,
    )
  })

  it('holds the rest in sentences while the reader has just heard some text', ({ expect }) => {
    const { out, reply } = replyOf(60_000)
    reply.push('Making your ')
    reply.push('video now, with music and ')
    expect(out).toEqual(['Making your '])
    reply.push('a title. All ')
    expect(out).toEqual(['Making your ', 'video now, with music and a title.'])
    reply.finish()
    expect(out.join('')).toBe('Making your video now, with music and a title. All ')
  })

  it('never lets out the start of a "temporary issue" before its sentence shows what it is', ({
    expect,
  }) => {
    const { out, reply } = replyOf(0)
    reply.push('I added the title. I have enc')
    reply.push('ountered a temporary ')
    reply.push('issue. Please try again.')
    reply.finish()
    expect(out.join('')).toBe('I added the title.')
  })

  it('a rule that takes words already let out leaves the rest as it came, nothing lost or twice', ({
    expect,
  }) => {
    // A translator that (wrongly) called its start safe, then rewrote it.
    const { out, reply } = replyOf(0, {
      translate: (text: string) => ({ text: text.replace('Hello there', 'Hi'), actions: [] }),
      rewritableFrom: (text: string) => text.length,
    })
    reply.push('Hello th')
    reply.push('ere, friend. Bye now.')
    reply.finish()
    expect(out.join('')).toBe('Hello there, friend. Bye now.')
  })
})
