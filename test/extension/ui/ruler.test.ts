import { describe, expect, it } from 'vitest'
import { formatSeconds, rulerTicks } from '../../../extension/components/TimelineView.tsx'

/** The popup's lane, the narrowest ruler; labels as the CSS draws them (10 px digits, ≤ 6 px). */
const LANE_PX = 240
const span = (at: number, total: number, align: 'start' | 'end'): [number, number] => {
  const x = (at / total) * LANE_PX
  const w = formatSeconds(at).length * 6 + 4
  return align === 'start' ? [x, x + w] : [x - w, x]
}

describe('timeline ruler', () => {
  it('labels never overlap or leave the ruler, whatever the duration', () => {
    for (let total = 500; total <= 1_500_000; total = Math.round(total * 1.013) + 100) {
      const ticks = rulerTicks(total)
      expect(ticks[0]).toEqual({ at: 0, align: 'start' })
      const spans = ticks.map((t) => span(t.at, total, t.align))
      for (const [i, [from, to]] of spans.entries()) {
        expect(from, `${total} ms`).toBeGreaterThanOrEqual(0)
        expect(to, `${total} ms`).toBeLessThanOrEqual(LANE_PX + 0.001)
        if (i > 0) expect(from, `${total} ms tick ${i}`).toBeGreaterThan(spans[i - 1]![1])
      }
    }
  })

  it('keeps the end label where it fits, right-aligned', () => {
    expect(rulerTicks(20_000).map((t) => [formatSeconds(t.at), t.align])).toEqual([
      ['0:00', 'start'],
      ['0:05', 'start'],
      ['0:10', 'start'],
      ['0:15', 'start'],
      ['0:20', 'end'],
    ])
    // 20.5 s: the 20 s label would touch the 15 s one, so it is left out.
    expect(rulerTicks(20_500).map((t) => formatSeconds(t.at))).toEqual([
      '0:00',
      '0:05',
      '0:10',
      '0:15',
    ])
  })
})
