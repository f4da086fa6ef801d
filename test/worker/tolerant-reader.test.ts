import { describe, it } from 'vitest'
import { normalizeDraft, summarizeTimeline } from '../../worker/draft/index.ts'
import { limitBytesIn } from '../../worker/upstream/answer.ts'
import { AnonymousTokenData, ClaimTokenData } from '../../worker/upstream/answers/auth.ts'
import { UpstreamEnvelope } from '../../worker/upstream/answers/envelope.ts'
import { RENDER_STATUS_WORDS } from '../../worker/upstream/answers/keys.ts'
import { progressPercent, readRenderAnswer } from '../../worker/upstream/answers/render.ts'
import { readIds, SessionAnswer } from '../../worker/upstream/answers/session.ts'
import { StateData } from '../../worker/upstream/answers/state.ts'
import { readUploadAnswer } from '../../worker/upstream/answers/upload.ts'

// One test per row of worker/upstream/README.md ("The tolerant reader").

describe('render answers', () => {
  it('maps every known status word, in any case and spelling, to the four statuses', ({
    expect,
  }) => {
    for (const [status, words] of Object.entries(RENDER_STATUS_WORDS)) {
      for (const word of words) {
        const read = readRenderAnswer({ data: { status: word.toUpperCase().replace('_', ' ') } })
        expect(read.status, word).toBe(status === 'cancelled' ? 'failed' : status)
        expect(read.unknownStatus, word).toBeUndefined()
      }
    }
    expect(readRenderAnswer({ status: 'In-Progress' }).status).toBe('processing')
    expect(
      readRenderAnswer({ data: { state: 'Succeeded', url: 'https://cdn/x.mp4' } }).status,
    ).toBe('completed')
  })

  it('reads an unknown word as in progress and names it', ({ expect }) => {
    expect(readRenderAnswer({ data: { status: 'compositing' } })).toEqual({
      status: 'processing',
      unknownStatus: 'compositing',
    })
    expect(readRenderAnswer({ data: { status: 3, progress: 20 } })).toEqual({
      status: 'processing',
      progress: 20,
      unknownStatus: '3',
    })
  })

  it('reads progress as 0-100, 0-1 or a string', ({ expect }) => {
    expect(progressPercent(40)).toBe(40)
    expect(progressPercent(0.4)).toBe(40)
    expect(progressPercent('0.45')).toBe(45)
    expect(progressPercent('45%')).toBe(45)
    expect(progressPercent('45')).toBe(45)
    expect(progressPercent(250)).toBe(100)
    expect(progressPercent(-3)).toBeUndefined()
    expect(progressPercent('soon')).toBeUndefined()
    expect(
      readRenderAnswer({ data: { status: 'rendering', progress: { percent: '70' } } }).progress,
    ).toBe(70)
    expect(readRenderAnswer({ status: 'encoding', percentage: 0.5 }).progress).toBe(50)
  })

  it.for([
    [{ data: { status: 'completed', outputUrl: 'https://f/a.mp4' } }],
    [{ status: 'completed', output: { url: 'https://f/a.mp4' } }],
    [{ data: { status: 'completed', output_url: 'https://f/a.mp4' } }],
    [{ data: { status: 'done', download_url: 'https://f/a.mp4' } }],
    [{ status: 'success', downloadUrl: 'https://f/a.mp4' }],
    [{ data: { status: 'finished', video_url: 'https://f/a.mp4' } }],
    [{ data: { status: 'complete', result: { url: 'https://f/a.mp4' } } }],
    [{ data: { status: 'succeeded', file_url: 'https://f/a.mp4' } }],
    [{ data: { status: 'completed', url: 'https://f/a.mp4' } }],
    [{ data: { render: { status: 'completed', output: { download_url: 'https://f/a.mp4' } } } }],
    [{ data: { status: 'completed', result: 'https://f/a.mp4' } }],
    [{ data: { status: 'completed', files: [{ url: 'https://f/a.mp4' }] } }],
    [{ data: { status: 'completed', outputUrl: '//f/a.mp4' } }],
  ])('finds the file URL in %j', ([answer], { expect }) => {
    expect(readRenderAnswer(answer)).toMatchObject({
      status: 'completed',
      outputUrl: expect.stringMatching(/^https:\/\/f\/a\.mp4$/),
    })
  })

  it('prefers data over the top, ignores non-URLs, and reads a bare URL as finished', ({
    expect,
  }) => {
    expect(
      readRenderAnswer({
        status: 'processing',
        data: { status: 'completed', outputUrl: 'https://in/data.mp4' },
        outputUrl: 'https://top.mp4',
      }),
    ).toMatchObject({
      status: 'completed',
      outputUrl: 'https://in/data.mp4',
    })
    expect(readRenderAnswer({ data: { status: 'completed', url: 'render_123' } })).toEqual({
      status: 'completed',
    })
    expect(readRenderAnswer({ data: { download_url: 'https://f/a.mp4' } })).toMatchObject({
      status: 'completed',
    })
  })

  it('reads the reason of a failure, and a render the backend cancelled as failed', ({
    expect,
  }) => {
    expect(readRenderAnswer({ data: { status: 'error', error_message: 'GPU lost' } })).toEqual({
      status: 'failed',
      error: 'GPU lost',
    })
    expect(
      readRenderAnswer({ success: false, status: 'failure', error: { message: 'bad draft' } })
        .error,
    ).toBe('bad draft')
    expect(readRenderAnswer({ data: { status: 'canceled' } })).toEqual({
      status: 'failed',
      error: 'cancelled by the backend',
    })
    // A running render's envelope message is not an error.
    expect(readRenderAnswer({ message: 'success', data: { status: 'queued' } })).toEqual({
      status: 'pending',
    })
  })
})

describe('upload answers', () => {
  const file = { filename: 'a.mp4', file_type: 'video', cdn_url: 'https://cdn/a.mp4', duration: 3 }

  it.for([
    [{ data: { files: [file], session_state_applied: true } }],
    [{ data: { files: [], media: [file] } }],
    [{ data: { items: [file], applied: true } }],
    [{ data: [file] }],
    [{ files: [file] }],
    [{ data: { result: { uploads: [file] } } }],
    [{ data: { file } }],
  ])('reads the files of %j', ([answer], { expect }) => {
    const read = readUploadAnswer(answer)
    expect(read).toMatchObject({ applied: true, readable: true })
    expect(read.files).toEqual([
      {
        filename: 'a.mp4',
        fileType: 'video',
        cdnUrl: 'https://cdn/a.mp4',
        duration: 3,
        width: undefined,
        height: undefined,
      },
    ])
  })

  it('reads other field names, mime types and millisecond durations', ({ expect }) => {
    const read = readUploadAnswer({
      data: {
        media: [
          { name: 'song.mp3', mime_type: 'audio/mpeg', url: 'https://c/s.mp3', duration_ms: 2500 },
          { src: 'https://c/p/photo%201.png' },
        ],
      },
    })
    expect(read.files).toMatchObject([
      { filename: 'song.mp3', fileType: 'audio', cdnUrl: 'https://c/s.mp3', duration: 2.5 },
      { filename: 'photo 1.png', fileType: 'image', cdnUrl: 'https://c/p/photo%201.png' },
    ])
  })

  it('says when an answer names neither files nor an applied flag', ({ expect }) => {
    expect(readUploadAnswer({ code: 0, data: { ok: 1 } })).toEqual({
      files: [],
      applied: false,
      readable: false,
    })
    expect(
      readUploadAnswer({ code: 0, data: { files: [], session_state_applied: false } }),
    ).toMatchObject({ applied: false, readable: true })
  })
})

describe('ids', () => {
  it.for([
    [{ data: { session_id: '7391028374650192837', task_id: 't1', user_id: 'anon_1' } }],
    [{ session_id: '7391028374650192837', taskId: 't1', bind_id: 'anon_1' }],
    [
      {
        data: {
          session: { id: '7391028374650192837' },
          task: { id: 't1' },
          user: { id: 'anon_1' },
        },
      },
    ],
    [{ data: { sessionId: '7391028374650192837', task_id: 't1', anon_id: 'anon_1' } }],
    [
      {
        data: {
          session: { session_id: '7391028374650192837', anonymous_id: 'anon_1' },
          task_id: 't1',
        },
      },
    ],
  ])('reads session, task and bind ids of %j', ([answer], { expect }) => {
    expect(SessionAnswer.parse(answer)).toEqual({
      sessionId: '7391028374650192837',
      taskId: 't1',
      userId: 'anon_1',
    })
  })

  it('keeps numeric ids as strings and fails without a session id', ({ expect }) => {
    expect(readIds({ data: { session_id: 42 } }).sessionId).toBe('42')
    expect(SessionAnswer.safeParse({ code: 0, data: { task_id: 't' } }).success).toBe(false)
  })

  it('reads the token call and the claim call by their other names', ({ expect }) => {
    expect(
      AnonymousTokenData.parse({ access_token: 'nmv_anon_abcdef', anon_id: 'anon_9' }),
    ).toMatchObject({ token: 'nmv_anon_abcdef', user_id: 'anon_9' })
    expect(
      AnonymousTokenData.parse({ token: 'nmv_anon_abcdef', user: { id: 'anon_8' } }).user_id,
    ).toBe('anon_8')
    expect(ClaimTokenData.parse({ claimToken: 'clm_1' }).claim_token).toBe('clm_1')
  })

  it('reads the state: draft, canvas and user id in their nestings', ({ expect }) => {
    expect(
      StateData.parse({
        code: 0,
        data: {
          state: { draft: { t: [] }, canvas_config: { width: 1080, height: 1920 } },
          bind_id: 'anon_2',
        },
      }),
    ).toEqual({
      draft: { t: [] },
      canvas: { width: 1080, height: 1920 },
      userId: 'anon_2',
    })
    expect(
      StateData.parse({ data: { draft: { t: [{ tt: 0 }] }, user: { id: 'anon_3' } } }),
    ).toMatchObject({ draft: { t: [{ tt: 0 }] }, userId: 'anon_3' })
    expect(StateData.parse({ data: {} })).toEqual({
      draft: null,
      canvas: undefined,
      userId: undefined,
    })
  })
})

describe('the limit of a 4002', () => {
  it.for([
    [{ code: 4002, message: 'File too large: over 524288000 bytes' }, 524_288_000],
    [{ code: 4002, message: 'max 200MB' }, 200 * 1024 ** 2],
    [{ code: 4002, msg: '文件超过 1GB' }, 1024 ** 3],
    [{ code: 4002, data: { max_size: 104857600 } }, 104_857_600],
    [{ code: 4002, message: 'File too large' }, undefined],
  ] as Array<[object, number | undefined]>)('%j names %s bytes', ([body, bytes], { expect }) => {
    expect(limitBytesIn(UpstreamEnvelope.parse(body))).toBe(bytes)
  })
})

describe('draft segments', () => {
  it('reads name, text, volume, source, kind, trim and fades from the segment and its m', ({
    expect,
  }) => {
    const timeline = normalizeDraft({
      t: [
        {
          tt: 0,
          sg: [
            { st: 0, d: 4000, m: { name: 'Beach', url: 'https://c/beach.jpg', fade_in: 300 } },
            {
              st: 4000,
              d: 3000,
              m: { label: 'Surf', src: 'https://c/surf.mov', trim: { start: 1500 }, fadeOut: 400 },
            },
          ],
        },
        {
          tt: 1,
          sg: [{ st: 0, d: 7000, m: { title: 'Lo-fi', volume: 35, source: 'https://c/lofi.mp4' } }],
        },
        { tt: 7, sg: [{ st: 0, d: 2000, m: { content: 'Urban Dreams' } }] },
        {
          type: 'music',
          sg: [{ st: 0, d: 1000, meta: { name: 'Ping', vol: 0.5, type: 'audio' } }],
        },
      ],
    })
    const [video, bgm, title, other] = timeline.tracks
    expect(video?.segments).toEqual([
      {
        label: 'Beach',
        startMs: 0,
        endMs: 4000,
        sourceUrl: 'https://c/beach.jpg',
        mediaKind: 'image',
        fadeInMs: 300,
      },
      {
        label: 'Surf',
        startMs: 4000,
        endMs: 7000,
        sourceUrl: 'https://c/surf.mov',
        mediaKind: 'video',
        sourceStartMs: 1500,
        fadeOutMs: 400,
      },
    ])
    // An audio track plays its source as audio, even a video file.
    expect(bgm?.segments[0]).toMatchObject({
      label: 'Lo-fi',
      volumePercent: 35,
      mediaKind: 'audio',
    })
    expect(title?.segments[0]).toMatchObject({ label: 'Urban Dreams', text: 'Urban Dreams' })
    expect(title?.segments[0]?.mediaKind).toBeUndefined()
    expect(other).toMatchObject({
      kind: 'audio',
      segments: [{ label: 'Ping', volumePercent: 50, mediaKind: 'audio' }],
    })
    expect(summarizeTimeline(timeline)).toBe(
      'Timeline (4 tracks): 1. Video: Beach (0-4s), Surf (4-7s) 2. BGM: Lo-fi (0-7s, 35%) 3. Title: "Urban Dreams" (0-2s) 4. Audio: Ping (0-1s, 50%)',
    )
  })

  it('lets the segment win over its m, and an explicit kind over the file extension', ({
    expect,
  }) => {
    const [track] = normalizeDraft({
      t: [
        {
          tt: 0,
          sg: [{ d: 1000, n: 'own', kind: 'image', m: { name: 'meta', url: 'https://c/x.mp4' } }],
        },
      ],
    }).tracks
    expect(track?.segments[0]).toMatchObject({
      label: 'own',
      mediaKind: 'image',
      sourceUrl: 'https://c/x.mp4',
    })
  })
})
