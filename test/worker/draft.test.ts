import { describe, expect, it } from 'vitest'
import {
  Timeline,
  isExportable,
  normalizeDraft,
  summarizeTimeline,
} from '../../worker/draft/index.ts'

/** The seed's example timeline, as a draft in the backend's short keys. */
const SEED_DRAFT = {
  d: 10_000,
  m: { title: 'Urban Dreams', width: 1920, height: 1080 },
  t: [
    {
      tt: 0,
      sg: [{ st: 0, d: 10_000, n: 'city timelapse', src: 'https://cdn.example/v/city.mp4' }],
    },
    { tt: 1, sg: [{ st: 0, et: 10_000, n: 'Lo-fi', v: 0.35 }] },
    { tt: 7, sg: [{ st: 0, d: 3000, text: 'Urban Dreams' }] },
  ],
}
const SEED_SUMMARY =
  'Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) ' +
  '3. Title: "Urban Dreams" (0-3s)'

describe('normalizeDraft', () => {
  it('reads the seed example into a valid timeline', () => {
    const timeline = normalizeDraft(SEED_DRAFT)
    expect(Timeline.parse(timeline)).toEqual(timeline)
    expect(timeline).toMatchObject({
      title: 'Urban Dreams',
      width: 1920,
      height: 1080,
      durationMs: 10_000,
    })
    expect(timeline.tracks.map((t) => [t.kind, t.typeCode, t.label])).toEqual([
      ['video', 0, 'Video'],
      ['audio', 1, 'BGM'],
      ['text', 7, 'Title'],
    ])
    expect(timeline.tracks[0]?.segments[0]).toEqual({
      label: 'city timelapse',
      startMs: 0,
      endMs: 10_000,
      sourceUrl: 'https://cdn.example/v/city.mp4',
      mediaKind: 'video',
    })
    expect(timeline.tracks[1]?.segments[0]?.volumePercent).toBe(35)
  })

  it('accepts the draft as a JSON string', () => {
    expect(normalizeDraft(JSON.stringify(SEED_DRAFT))).toEqual(normalizeDraft(SEED_DRAFT))
  })

  it.each([undefined, null, 42, 'not json', '[]', [], {}, { t: 'nope' }, { t: [null, 3, 'x'] }])(
    'never throws and stays valid on odd input %j',
    (raw) => {
      const timeline = normalizeDraft(raw)
      expect(Timeline.safeParse(timeline).success).toBe(true)
    },
  )

  it('turns non-object tracks into empty other tracks and keeps non-object segments', () => {
    const timeline = normalizeDraft({ t: [null, { tt: 0, sg: [null, 'clip'] }] })
    expect(timeline.tracks.map((t) => t.kind)).toEqual(['other', 'video'])
    expect(timeline.tracks[1]?.segments).toHaveLength(2)
    expect(isExportable(timeline)).toBe(true)
  })

  it('makes unknown track types kind other with their code kept', () => {
    const timeline = normalizeDraft({ t: [{ tt: 3, sg: [{ n: 'sticker', st: 0, d: 500 }] }] })
    expect(timeline.tracks[0]).toMatchObject({ kind: 'other', typeCode: 3, label: 'Other' })
  })

  it('lays out segments without times one after the other', () => {
    const timeline = normalizeDraft({
      d: 9000,
      t: [{ tt: 0, sg: [{ n: 'a', d: 2000 }, { n: 'b', dur: 3000 }, { n: 'c' }] }],
    })
    expect(timeline.tracks[0]?.segments.map((s) => [s.startMs, s.endMs])).toEqual([
      [0, 2000],
      [2000, 5000],
      [5000, 9000],
    ])
  })

  it("ends an untimed segment at the next one's start", () => {
    const timeline = normalizeDraft({
      t: [{ tt: 0, sg: [{ n: 'a' }, { n: 'b', st: 4000, et: 6000 }] }],
    })
    expect(timeline.tracks[0]?.segments.map((s) => [s.startMs, s.endMs])).toEqual([
      [0, 4000],
      [4000, 6000],
    ])
    expect(timeline.durationMs).toBe(6000)
  })

  it('reads alternative keys: nested time ranges, string numbers, percent volumes, file names', () => {
    const timeline = normalizeDraft({
      t: [
        {
          tt: 1,
          sg: [
            {
              range: { start: '1000', duration: 2500 },
              volume: 80,
              url: 'https://c/x/lo_fi-beat.mp3?sig=a',
            },
          ],
        },
        { tt: 7, sg: [{ s: 0, e: 1500, txt: 'Hello' }] },
      ],
    })
    expect(timeline.tracks[0]?.segments[0]).toEqual({
      label: 'lo fi beat',
      startMs: 1000,
      endMs: 3500,
      volumePercent: 80,
      sourceUrl: 'https://c/x/lo_fi-beat.mp3?sig=a',
      mediaKind: 'audio',
    })
    expect(timeline.tracks[1]?.segments[0]).toMatchObject({
      label: 'Hello',
      startMs: 0,
      endMs: 1500,
    })
  })

  it('stays valid when huge times overflow', () => {
    const timeline = normalizeDraft({ t: [{ tt: 0, sg: [{ st: 1e308, d: 1e308 }] }] })
    expect(Timeline.safeParse(timeline).success).toBe(true)
  })

  it('drops unusable metadata instead of failing', () => {
    const timeline = normalizeDraft({ m: { title: '  ', width: 0, height: 'tall' }, d: -5, t: [] })
    expect(timeline).toEqual({ durationMs: 0, tracks: [] })
  })

  it('names the second audio and text tracks Audio and Text', () => {
    const timeline = normalizeDraft({ t: [{ tt: 1 }, { tt: 1 }, { tt: 7 }, { tt: 7 }] })
    expect(timeline.tracks.map((t) => t.label)).toEqual(['BGM', 'Audio', 'Title', 'Text'])
  })
})

describe('isExportable', () => {
  it('is true once some track has a segment', () => {
    expect(isExportable(normalizeDraft(SEED_DRAFT))).toBe(true)
    expect(isExportable(normalizeDraft({ t: [{ tt: 0, sg: [] }, { tt: 1 }] }))).toBe(false)
    expect(isExportable(normalizeDraft({}))).toBe(false)
  })
})

describe('summarizeTimeline', () => {
  it('reproduces the seed example exactly', () => {
    expect(summarizeTimeline(normalizeDraft(SEED_DRAFT))).toBe(SEED_SUMMARY)
  })

  it('says empty for an empty draft', () => {
    expect(summarizeTimeline(normalizeDraft({}))).toBe('Timeline (0 tracks): empty')
    expect(summarizeTimeline(normalizeDraft({}), 'zh')).toBe('时间线（0 条轨道）：空')
  })

  it('joins several segments, keeps half seconds, and counts what it leaves out', () => {
    const timeline = normalizeDraft({
      t: [
        { tt: 0, sg: [1, 2, 3, 4, 5, 6, 7].map((i) => ({ n: `shot ${i}`, d: 1500 })) },
        {
          tt: 7,
          sg: [
            { st: 0, d: 2500, text: 'Intro' },
            { st: 8000, d: 2000, text: 'The End' },
          ],
        },
        { tt: 1, sg: [] },
      ],
    })
    expect(summarizeTimeline(timeline)).toBe(
      'Timeline (3 tracks): 1. Video: shot 1 (0-1.5s), shot 2 (1.5-3s), shot 3 (3-4.5s), shot 4 (4.5-6s), ' +
        'shot 5 (6-7.5s), … +2 more 2. Title: "Intro" (0-2.5s), "The End" (8-10s) 3. BGM: (empty)',
    )
  })

  it('shows a muted video clip volume but not a full one, and names unnamed segments', () => {
    const timeline = normalizeDraft({
      t: [
        {
          tt: 0,
          sg: [
            { st: 0, d: 1000, v: 0 },
            { st: 1000, d: 1000, v: 1, n: 'b' },
          ],
        },
      ],
    })
    expect(summarizeTimeline(timeline)).toBe(
      'Timeline (1 track): 1. Video: untitled (0-1s, 0%), b (1-2s)',
    )
  })

  it('has a Chinese variant', () => {
    expect(summarizeTimeline(normalizeDraft(SEED_DRAFT), 'zh')).toBe(
      '时间线（3 条轨道）：1. 视频：city timelapse（0-10 秒） 2. 背景音乐：Lo-fi（0-10 秒，35%） 3. 标题：“Urban Dreams”（0-3 秒）',
    )
  })
})
