import { describe, it } from 'vitest'
import { guiWording } from '../../worker/chat/gui-wording.ts'
import { interpretUpstreamData, TextDeltas } from '../../worker/chat/interpret.ts'
import { ReplyText } from '../../worker/chat/reply-text.ts'
import {
  resumeAfter,
  runEventStream,
  sseFrame,
  storedEvent,
  type RunListener,
} from '../../worker/chat/sse.ts'
import { endsAnEvent, readUpstreamEvents } from '../../worker/chat/upstream-stream.ts'

const encoder = new TextEncoder()

/** A byte stream that hands out exactly these chunks, then closes (or errors). */
function chunked(chunks: Uint8Array[], error?: Error): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i++]
      if (next !== undefined) controller.enqueue(next)
      else if (error) controller.error(error)
      else controller.close()
    },
  })
}

/** The bytes of `text` cut at the given byte offsets. */
function cutBytes(text: string, offsets: number[]): Uint8Array[] {
  const bytes = encoder.encode(text)
  const out: Uint8Array[] = []
  let from = 0
  for (const to of offsets) {
    out.push(bytes.slice(from, to))
    from = to
  }
  out.push(bytes.slice(from))
  return out
}

async function collect(body: ReadableStream<Uint8Array>) {
  const data: string[] = []
  const end = await readUpstreamEvents(body, (d) => data.push(d), new AbortController().signal)
  return { data, end }
}

describe('readUpstreamEvents', () => {
  it('reassembles Chinese text split inside UTF-8 characters, with CRLF and comments', async ({
    expect,
  }) => {
    const wire =
      '\uFEFF: ping\r\n\r\ndata: {"type":"text","content":"你好，世界"}\r\n\r\ndata:\r\n\r\ndata: {"type":"heartbeat"}\n\n'
    const bytes = encoder.encode(wire)
    // Cut every few bytes, so several cuts land inside the three-byte characters.
    const offsets = Array.from({ length: Math.floor(bytes.length / 5) }, (_, k) => (k + 1) * 5)
    const { data, end } = await collect(chunked(cutBytes(wire, offsets)))
    expect(data).toEqual(['{"type":"text","content":"你好，世界"}', '', '{"type":"heartbeat"}'])
    expect(end).toBe('closed')
  })

  it('tells a close in the middle of an event (truncated) from a close at a boundary', async ({
    expect,
  }) => {
    const truncated = await collect(
      chunked([encoder.encode('data: {"type":"text","content":"a"}\n\ndata: {"ty')]),
    )
    expect(truncated.data).toEqual(['{"type":"text","content":"a"}'])
    expect(truncated.end).toBe('truncated')
    const halfTerminated = await collect(
      chunked([encoder.encode('data: {"type":"text","content":"a"}\r\n')]),
    )
    expect(halfTerminated.end).toBe('truncated')
    const empty = await collect(chunked([]))
    expect(empty).toEqual({ data: [], end: 'closed' })
  })

  it('rejects when the connection errors', async ({ expect }) => {
    const body = chunked(
      [encoder.encode('data: {"type":"text","content":"a"}\n\n')],
      new Error('reset'),
    )
    await expect(collect(body)).rejects.toThrow('reset')
  })

  it('knows which endings close an event', ({ expect }) => {
    expect(['\n\n', 'x\r\n\r\n', 'x\r\r', 'x\n\r\n'].map(endsAnEvent)).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(['x\r\n', 'x\n', 'x', ''].map(endsAnEvent)).toEqual([false, false, false, false])
  })
})

describe('interpretUpstreamData', () => {
  it('reads the documented style', ({ expect }) => {
    expect(interpretUpstreamData('{"type":"text","content":"Hi"}')).toEqual([
      { kind: 'text', text: 'Hi', partial: false },
    ])
    expect(interpretUpstreamData('{"type":"tool_call","name":"add_bgm","args":{}}')).toEqual([
      { kind: 'tool_call' },
    ])
    expect(interpretUpstreamData('{"type":"tool_result","name":"add_bgm","result":{}}')).toEqual([
      { kind: 'tool_result' },
    ])
    expect(interpretUpstreamData('{"type":"heartbeat"}')).toEqual([])
  })

  it('reads ADK events: text, function calls and responses, partial flags; skips thoughts', ({
    expect,
  }) => {
    const partial = {
      content: { role: 'model', parts: [{ text: 'Hel' }] },
      partial: true,
      invocation_id: 'x',
    }
    expect(interpretUpstreamData(JSON.stringify(partial))).toEqual([
      { kind: 'text', text: 'Hel', partial: true },
    ])
    const call = { content: { parts: [{ functionCall: { name: 'trim', args: {} } }] } }
    expect(interpretUpstreamData(JSON.stringify(call))).toEqual([{ kind: 'tool_call' }])
    const result = {
      content: { role: 'user', parts: [{ functionResponse: { name: 'trim', response: {} } }] },
    }
    expect(interpretUpstreamData(JSON.stringify(result))).toEqual([{ kind: 'tool_result' }])
    const thought = {
      content: { parts: [{ text: 'planning…', thought: true }, { text: 'Done.' }] },
      partial: false,
    }
    expect(interpretUpstreamData(JSON.stringify(thought))).toEqual([
      { kind: 'text', text: 'Done.', partial: false },
    ])
  })

  it('tolerates broken JSON, empty data and unknown shapes', ({ expect }) => {
    for (const data of [
      '',
      '  ',
      '{"type":"text","content":"unterminated',
      '[1,2]',
      '42',
      '{"foo":1}',
      '{"type":"usage"}',
    ]) {
      expect(interpretUpstreamData(data)).toEqual([])
    }
  })

  it('never doubles ADK text: deltas, then a final that repeats them', ({ expect }) => {
    const deltas = new TextDeltas()
    const out = [
      deltas.next({ text: 'Hello ', partial: true }),
      deltas.next({ text: 'world.', partial: true }),
      deltas.next({ text: 'Hello world.', partial: false }),
      // A second text block of the same turn, sent only as a final.
      deltas.next({ text: ' Bye.', partial: false }),
      deltas.next({ text: 'Extra', partial: true }),
      deltas.next({ text: 'Extra and more', partial: false }),
    ]
    expect(out.join('')).toBe('Hello world. Bye.Extra and more')
  })
})

describe('ReplyText', () => {
  function reply() {
    const out: string[] = []
    const text = new ReplyText(guiWording, (d) => out.push(d))
    return { text, out }
  }

  it('lets text out only at sentence ends, so GUI wording is translated whole', ({ expect }) => {
    const { text, out } = reply()
    for (const piece of ['Your video is ready. Cl', 'ick Exp', 'ort to render it', '.'])
      text.push(piece)
    expect(out.join('')).toContain('Your video is ready.')
    expect(out.join('')).not.toMatch(/Click Export/)
    text.finish()
    expect(out.join('')).toMatch(/say "export"/i)
    expect([...text.actions]).toEqual(['export'])
    expect(text.hadText).toBe(true)
  })

  it('keeps separate backend messages apart, but not pieces of one message', ({ expect }) => {
    const { text, out } = reply()
    for (const piece of ['Making your vid', 'eo now.']) text.push(piece)
    text.noteActivity() // a tool call between two messages
    text.messageBoundary() // its result
    for (const piece of ['Your video', ' is ready.']) text.push(piece)
    text.finish()
    expect(out.join('')).toBe('Making your video now.\n\nYour video is ready.')
  })

  it('splits Chinese at Chinese sentence ends', ({ expect }) => {
    const { text, out } = reply()
    text.push('已添加背景音乐。请点击导')
    expect(out).toEqual(['已添加背景音乐。'])
    text.push('出按钮。')
    text.finish()
    expect(out.join('')).toContain('说“导出”')
    expect([...text.actions]).toEqual(['export'])
  })

  it('drops a trailing "temporary issue" after normal output, keeps it when it is all there is', ({
    expect,
  }) => {
    const a = reply()
    a.text.push('I added the title. ')
    a.text.push('I encountered a temporary issue. Please try again in a moment.')
    a.text.finish()
    expect(a.out.join('')).toBe('I added the title.')

    const b = reply()
    b.text.noteActivity()
    b.text.push('我遇到了一个临时问题，请稍后再试。')
    b.text.finish()
    expect(b.out).toEqual([])
    expect(b.text.hadText).toBe(false)

    // Two backend messages glued together without a space.
    const glued = reply()
    glued.text.push('Done: the title now reads "Urban Dreams".')
    glued.text.push('I encountered a temporary issue. Please try again in a moment.')
    glued.text.finish()
    expect(glued.out.join('')).toBe('Done: the title now reads "Urban Dreams".')

    const c = reply()
    c.text.push('I encountered a temporary issue. Please try again in a moment.')
    c.text.finish()
    expect(c.out.join('')).toBe('I encountered a temporary issue. Please try again in a moment.')
  })

  it('lets a "temporary issue" through when the reply goes on after it', ({ expect }) => {
    const { text, out } = reply()
    text.push('Intro. I encountered a temporary issue. ')
    text.noteActivity()
    text.push('Retried and done.')
    text.finish()
    expect(out.join('')).toBe('Intro. I encountered a temporary issue. Retried and done.')
  })
})

describe('SSE helpers', () => {
  it('frames an event with its type, seq and one line of JSON', ({ expect }) => {
    const frame = sseFrame(storedEvent(7, { type: 'text', delta: 'a\nb\r\nc' }))
    expect(frame).toBe('event: text\nid: 7\ndata: {"type":"text","delta":"a\\nb\\r\\nc"}\n\n')
  })

  it('resumes after Last-Event-ID first, then ?after=', ({ expect }) => {
    expect(resumeAfter('12', '3')).toBe(12)
    expect(resumeAfter(null, '3')).toBe(3)
    expect(resumeAfter(undefined, undefined)).toBe(0)
    expect(resumeAfter('junk', '3')).toBe(0)
  })

  it('serves backlog then live events, pings while live, and lets go of a reader that leaves', async ({
    expect,
  }) => {
    let listener: RunListener | undefined
    let detached = 0
    const body = runEventStream((l) => {
      listener = l
      return {
        backlog: [storedEvent(3, { type: 'text', delta: 'a' })],
        live: true,
        detach: () => (detached += 1),
      }
    }, 5)
    const reader = body.getReader()
    const decoder = new TextDecoder()
    const more = async () => decoder.decode((await reader.read()).value, { stream: true })
    let seen = ''
    while (!seen.includes(': ping')) seen += await more()
    expect(seen.startsWith('event: text\nid: 3\n')).toBe(true)
    // An event already delivered (seq 3) is never sent twice; a new one is.
    listener!(storedEvent(3, { type: 'text', delta: 'a' }))
    listener!(storedEvent(4, { type: 'activity', kind: 'editing' }))
    while (!seen.includes('id: 4')) seen += await more()
    expect(seen.match(/id: 3/g)).toHaveLength(1)
    await reader.cancel()
    expect(detached).toBe(1)
    // Events after the reader left go nowhere and throw nothing.
    expect(() => listener!(storedEvent(5, { type: 'done', actions: [] }))).not.toThrow()
    expect(detached).toBe(1)
  })

  it('closes after the terminal event, and at once for an ended run with nothing after the resume point', async ({
    expect,
  }) => {
    const ended = runEventStream(() => ({ backlog: [], live: false, detach: () => {} }))
    expect(await new Response(ended).text()).toBe('')
    const finished = runEventStream(() => ({
      backlog: [
        storedEvent(1, { type: 'text', delta: 'hi' }),
        storedEvent(2, { type: 'done', actions: [] }),
      ],
      live: false,
      detach: () => {},
    }))
    expect((await new Response(finished).text()).match(/^event: /gm)).toHaveLength(2)
  })
})
