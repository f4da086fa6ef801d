import { signal } from '@preact/signals'
import { describe, expect, it } from 'vitest'
import type { Timeline } from '../../../shared/api/index.ts'
import { LocalRenderModel, type LocalDraft } from '../../../extension/models/LocalRenderModel.ts'
import type { EncodeSupport } from '../../../extension/render/encode-support.ts'
import type { RenderAppMessage, RenderAppReply } from '../../../extension/render/render-messages.ts'
import { ApiRequestError } from '../../../extension/utils/api/index.ts'

const SESSION = 'ses_AAAAAAAAAAAAAAAA1'
const TIMELINE: Timeline = {
  durationMs: 2000,
  tracks: [
    {
      kind: 'video',
      typeCode: 0,
      label: 'Video',
      segments: [{ label: 'a', startMs: 0, endMs: 2000, sourceUrl: 'https://m.test/a.jpg' }],
    },
  ],
}

function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** The model over a draft signal the caller fills, recording what goes to the background. */
function setup(support: EncodeSupport = { ok: true }) {
  const draft = signal<LocalDraft | undefined>(undefined)
  const sent: RenderAppMessage[] = []
  const model = new LocalRenderModel({
    renders: { get: async () => [], watch: () => () => {} },
    send: async (msg): Promise<RenderAppReply> => {
      sent.push(msg)
      return { ok: true, jobIds: ['job_here0000000000000001'] }
    },
    draft,
    encodeSupport: async () => support,
  })
  return { draft, sent, model }
}

describe('export here from a fresh popup (no draft read yet)', () => {
  it('reads the draft first, says so while reading, then renders what it read', async () => {
    const { draft, sent, model } = setup()
    const read = deferred()
    let reads = 0
    const started = model.start(['16:9'], {
      readDraft: async () => {
        reads++
        await read.promise
        draft.value = { sessionId: SESSION, timeline: TIMELINE, title: 'Sea' }
      },
    })
    await expect.poll(() => model.readingDraft.value).toBe(true)
    expect(sent).toEqual([])
    // A second press while reading starts nothing more.
    expect(await model.start(['16:9'], { readDraft: async () => void reads++ })).toEqual([])
    read.resolve()
    expect(await started).toEqual(['job_here0000000000000001'])
    expect(reads).toBe(1)
    expect(model.readingDraft.value).toBe(false)
    expect(sent).toEqual([
      {
        type: 'render-here',
        sessionId: SESSION,
        presets: ['16:9'],
        timeline: TIMELINE,
        title: 'Sea',
      },
    ])
  })

  it('a read that fails shows its error, starts nothing, and the next press reads again', async () => {
    const { draft, sent, model } = setup()
    const refused = new ApiRequestError(
      { code: 'not_found', message: 'This project is gone.' },
      404,
    )
    expect(
      await model.start(['1:1'], {
        readDraft: () => Promise.reject(refused),
      }),
    ).toEqual([])
    expect(model.readError.value).toMatchObject({ code: 'not_found' })
    expect(model.readingDraft.value).toBe(false)
    expect(model.starting.value).toBe(false)
    expect(sent).toEqual([])

    const ids = await model.start(['1:1'], {
      readDraft: async () => void (draft.value = { sessionId: SESSION, timeline: TIMELINE }),
    })
    expect(ids).toHaveLength(1)
    expect(model.readError.value).toBeNull()
    expect(sent.map((m) => m.type)).toEqual(['render-here'])
  })

  it('a loaded draft is rendered without reading it again', async () => {
    const { draft, sent, model } = setup()
    draft.value = { sessionId: SESSION, timeline: TIMELINE }
    let reads = 0
    await model.start(['9:16'], { readDraft: async () => void reads++ })
    expect(reads).toBe(0)
    expect(sent).toHaveLength(1)
  })

  it('a draft read with nothing to draw starts nothing', async () => {
    const { draft, sent, model } = setup()
    const ids = await model.start(['16:9'], {
      readDraft: async () =>
        void (draft.value = { sessionId: SESSION, timeline: { durationMs: 0, tracks: [] } }),
    })
    expect(ids).toEqual([])
    expect(model.available.value).toBe(false)
    expect(sent).toEqual([])
  })
})

describe('a browser that cannot encode', () => {
  it('is known before any job, and pressing starts nothing (the draft is not even read)', async () => {
    const { sent, model } = setup({ ok: false, reason: 'no-h264' })
    await expect.poll(() => model.support.value).toEqual({ ok: false, reason: 'no-h264' })
    let reads = 0
    expect(await model.start(['16:9'], { readDraft: async () => void reads++ })).toEqual([])
    expect(reads).toBe(0)
    expect(sent).toEqual([])
  })
})
