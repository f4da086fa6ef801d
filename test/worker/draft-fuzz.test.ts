import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  Timeline,
  isExportable,
  normalizeDraft,
  summarizeTimeline,
} from '../../worker/draft/index.ts'

/** Drafts shaped like the backend's, with segment keys drawn from the plausible and the absurd. */
const segment = fc.dictionary(
  fc.constantFrom(
    'st',
    's',
    'start',
    'et',
    'end',
    'd',
    'dur',
    'n',
    'text',
    'v',
    'src',
    'range',
    'zz',
  ),
  fc.oneof(
    fc.double(),
    fc.integer({ min: -5, max: 100_000 }),
    fc.string(),
    fc.constant(null),
    fc.object(),
  ),
)
const draft = fc.record(
  {
    d: fc.oneof(fc.integer({ min: -1, max: 600_000 }), fc.double(), fc.string()),
    m: fc.record(
      { title: fc.string(), width: fc.double(), height: fc.integer() },
      { requiredKeys: [] },
    ),
    t: fc.array(
      fc.oneof(
        fc.record(
          {
            tt: fc.oneof(fc.constantFrom(0, 1, 7, 3), fc.double()),
            sg: fc.array(fc.oneof(segment, fc.anything())),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
      { maxLength: 6 },
    ),
  },
  { requiredKeys: [] },
)

describe('normalizeDraft on generated input', () => {
  it('always returns a valid timeline and a summary, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(draft, fc.anything()), (raw) => {
        const timeline = normalizeDraft(raw)
        expect(Timeline.safeParse(timeline).success).toBe(true)
        for (const track of timeline.tracks) {
          for (const s of track.segments) expect(s.endMs).toBeGreaterThanOrEqual(s.startMs)
        }
        const summary = summarizeTimeline(timeline)
        expect(summary.startsWith(`Timeline (${timeline.tracks.length} track`)).toBe(true)
        expect(summarizeTimeline(timeline, 'zh').startsWith('时间线（')).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('is exportable exactly when some raw track has a non-empty sg array', () => {
    fc.assert(
      fc.property(draft, (raw) => {
        const tracks = Array.isArray(raw.t) ? raw.t : []
        const expected = tracks.some((t) => {
          const sg = t !== null && typeof t === 'object' ? (t as { sg?: unknown }).sg : undefined
          return Array.isArray(sg) && sg.length > 0
        })
        expect(isExportable(normalizeDraft(raw))).toBe(expected)
      }),
      { numRuns: 500 },
    )
  })
})
