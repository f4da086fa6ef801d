import { describe, it } from 'vitest'
import type { ChatEvent } from '../../shared/api/chat-events.ts'
import { normalizeDraft, summarizeTimeline } from '../../worker/draft/index.ts'
import { toApiError } from '../../shared/errors/table.ts'
import { guiWording } from '../../worker/chat/gui-wording.ts'
import { UpstreamError, WorkerError } from '../../worker/errors.ts'
import { runChatTurn, type ChatTurnDeps } from '../../worker/chat/run-engine.ts'
import type { ChatTimings } from '../../worker/chat/run-engine.ts'

const encoder = new TextEncoder()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Step = string | { waitMs: number } | { error: string }

/** An event stream that plays the steps in order (text is sent as is), then closes. */
function sse(steps: Step[]): Response {
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const step = steps[i++]
        if (step === undefined) return controller.close()
        if (typeof step === 'string') return controller.enqueue(encoder.encode(step))
        if ('waitMs' in step) await sleep(step.waitMs)
        else return controller.error(new Error(step.error))
      }
    },
  })
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
}

const data = (json: unknown) => `data: ${JSON.stringify(json)}\n\n`
const heartbeat = data({ type: 'heartbeat' })

const draftA = { t: [{ tt: 0, sg: [{ d: 5000, m: { name: 'intro' } }] }] }
const draftB = {
  t: [
    { tt: 0, sg: [{ d: 5000, m: { name: 'intro' } }] },
    { tt: 7, sg: [{ d: 3000, text: 'Hi' }] },
  ],
}

function turn(options: {
  response: () => Promise<Response>
  drafts?: unknown[]
  timings?: Partial<ChatTimings>
  /** The read beside the prompt; the next draft of `drafts` unless told. */
  peekDraft?: () => Promise<unknown>
}) {
  const events: ChatEvent[] = []
  const drafts = [...(options.drafts ?? [draftA])]
  let draftReads = 0
  let opened = 0
  const readDraft = async () => {
    draftReads += 1
    return drafts.length > 1 ? drafts.shift() : drafts[0]
  }
  const deps: ChatTurnDeps = {
    openStream: async () => {
      opened += 1
      return options.response()
    },
    readDraft,
    peekDraft: options.peekDraft ?? readDraft,
    emit: (event) => events.push(event),
    describeError: async (err) => toApiError(err instanceof WorkerError ? err.code : 'internal'),
    wording: guiWording,
    summarize: (draft) => {
      const timeline = normalizeDraft(draft)
      return { timeline, summary: summarizeTimeline(timeline) }
    },
    timings: {
      stillWorkingMs: 10_000,
      silenceTimeoutMs: 60_000,
      maxRunMs: 60_000,
      dropChecksMs: [5, 5, 5],
      ...options.timings,
    },
  }
  return {
    run: () => runChatTurn(deps),
    events,
    counts: () => ({ draftReads, opened }),
  }
}

const said = (events: ChatEvent[]) =>
  events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('')
/** Event types, consecutive text events counted once: how text is cut is ReplyText's to test. */
const types = (events: ChatEvent[]) =>
  events.map((e) => e.type).filter((type, i, all) => type !== 'text' || all[i - 1] !== 'text')

describe('runChatTurn', () => {
  it('streams text, one activity per tool call, and ends with done and the wording’s actions', async ({
    expect,
  }) => {
    const t = turn({
      response: async () =>
        sse([
          data({ type: 'tool_call', name: 'add_title', args: { text: 'Hi' } }),
          heartbeat,
          data({ type: 'tool_result', name: 'add_title', result: { ok: true } }),
          data({ type: 'text', content: 'Added the title. Click ' }),
          data({ type: 'text', content: 'Export to render it.' }),
        ]),
    })
    await t.run()
    expect(types(t.events)).toEqual(['activity', 'text', 'done'])
    const text = said(t.events)
    expect(text).toMatch(/^Added the title\. Say "export"/)
    expect(t.events.at(-1)).toEqual({ type: 'done', actions: ['export'] })
  })

  it('summarises the draft when the reply had no text', async ({ expect }) => {
    const t = turn({
      drafts: [draftA, draftB],
      response: async () =>
        sse([data({ type: 'tool_call', name: 'add_title' }), data({ type: 'tool_result' })]),
    })
    await t.run()
    expect(types(t.events)).toEqual(['activity', 'summary', 'done'])
    const summary = t.events[1]
    expect(summary?.type === 'summary' && summary.timeline.tracks.length).toBe(2)
    expect(summary?.type === 'summary' && summary.summary).toMatch(/^Timeline \(2 tracks\)/)
  })

  it('says still_working after each interval of heartbeats-only silence', async ({ expect }) => {
    const t = turn({
      timings: { stillWorkingMs: 20 },
      response: async () =>
        sse([
          heartbeat,
          { waitMs: 40 },
          heartbeat,
          { waitMs: 40 },
          ': ping\n\n',
          { waitMs: 40 },
          data({ type: 'text', content: 'Done.' }),
        ]),
    })
    await t.run()
    const still = t.events.filter((e) => e.type === 'still_working')
    expect(still.length).toBeGreaterThanOrEqual(2)
    expect(types(t.events).slice(-2)).toEqual(['text', 'done'])
    // The silence grows between notices: heartbeats did not reset it.
    const silences = still.map((e) => (e.type === 'still_working' ? e.silentForMs : 0))
    expect(silences[1]!).toBeGreaterThan(silences[0]!)
  })

  it('times out after the silence limit, keeps what was said, and ends once', async ({
    expect,
  }) => {
    const t = turn({
      timings: { stillWorkingMs: 1000, silenceTimeoutMs: 50 },
      response: async () =>
        sse([
          data({ type: 'text', content: 'Working on it' }),
          ...Array(40)
            .fill([heartbeat, { waitMs: 10 }])
            .flat(),
        ]),
    })
    await t.run()
    expect(types(t.events)).toEqual(['text', 'error'])
    expect(said(t.events)).toBe('Working on it')
    expect(t.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_timeout' } })
  })

  it('stops at the hard cap even while text keeps coming', async ({ expect }) => {
    const t = turn({
      timings: { maxRunMs: 60 },
      response: async () =>
        sse(
          Array(100)
            .fill([data({ type: 'text', content: 'more. ' }), { waitMs: 5 }])
            .flat(),
        ),
    })
    await t.run()
    expect(t.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_timeout' } })
    expect(t.events.filter((e) => e.type === 'error' || e.type === 'done')).toHaveLength(1)
    expect(t.events.filter((e) => e.type === 'text').length).toBeGreaterThan(0)
  })

  it('after a dropped stream, reports a changed draft as summary and done', async ({ expect }) => {
    const t = turn({
      drafts: [draftA, draftA, draftB],
      response: async () =>
        sse([data({ type: 'text', content: 'Adding a title' }), 'data: {"type":"te']),
    })
    await t.run()
    expect(types(t.events)).toEqual(['text', 'summary', 'done'])
    // The baseline, one unchanged look, one changed look.
    expect(t.counts()).toEqual({ draftReads: 3, opened: 1 })
  })

  it('sends the prompt without waiting for the draft read beside it', async ({ expect }) => {
    let answer: (draft: unknown) => void = () => {}
    const t = turn({
      peekDraft: () => new Promise((resolve) => (answer = resolve)),
      response: async () => sse([data({ type: 'text', content: 'Hello there. ' })]),
    })
    await t.run()
    expect(types(t.events)).toContain('text')
    expect(t.events.at(-1)?.type).toBe('done')
    expect(t.counts().opened).toBe(1)
    answer(draftA)
  })

  it('after a dropped stream, compares with the draft read beside the prompt, even one that answered late', async ({
    expect,
  }) => {
    let answer: (draft: unknown) => void = () => {}
    const t = turn({
      drafts: [draftA, draftB],
      peekDraft: () => new Promise((resolve) => (answer = resolve)),
      response: async () => {
        setTimeout(() => answer(draftA), 20)
        return sse([data({ type: 'tool_call' }), { error: 'connection reset' }])
      },
    })
    await t.run()
    expect(types(t.events)).toEqual(['activity', 'summary', 'done'])
    // Both planned looks' drafts were read after the stream dropped; the first was still the old one.
    expect(t.counts()).toEqual({ draftReads: 2, opened: 1 })
  })

  it('after a dropped stream with no change, ends with stream_dropped after every planned look', async ({
    expect,
  }) => {
    const t = turn({
      response: async () => sse([data({ type: 'tool_call' }), { error: 'connection reset' }]),
    })
    await t.run()
    expect(types(t.events)).toEqual(['activity', 'error'])
    expect(t.events[1]).toMatchObject({ type: 'error', error: { code: 'stream_dropped' } })
    expect(t.counts()).toEqual({ draftReads: 4, opened: 1 })
  })

  it('turns a refusal before the stream into an error event with the table’s action', async ({
    expect,
  }) => {
    const t = turn({
      response: async () => {
        throw new UpstreamError('no_credits', { upstreamCode: 2001, httpStatus: 402 })
      },
    })
    await t.run()
    expect(t.events).toEqual([{ type: 'error', error: toApiError('no_credits') }])
    expect(t.events[0]).toMatchObject({ error: { action: { kind: 'register' } } })
  })
})
