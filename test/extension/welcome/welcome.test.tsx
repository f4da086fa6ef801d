import { cleanup, render, screen, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Timeline } from '../../../shared/draft/timeline.ts'
import { planTimeline } from '../../../extension/preview/plan.ts'
import { Welcome } from '../../../extension/entrypoints/welcome/Welcome.tsx'
import {
  DEMO_MS,
  demoStepAt,
  demoTimeline,
} from '../../../extension/entrypoints/welcome/demo-draft.ts'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'

beforeEach(() => fakeBrowser.reset())
afterEach(() => cleanup())

const urls = {
  pictures: ['blob:a', 'blob:b', 'blob:c', 'blob:d'],
  music: 'blob:m',
}

describe('welcome page', () => {
  it('shows the three ways in with the menu items a person will see, and the demo', () => {
    setUiLanguage('en')
    render(<Welcome />)
    screen.getByRole('heading', { name: 'Welcome to PageReel' })
    const ways = within(screen.getAllByRole('list')[0]!).getAllByRole('listitem')
    expect(ways.map((w) => within(w).getByRole('heading').textContent)).toEqual([
      'An image',
      'A selection',
      'The whole page',
    ])
    expect(ways.map((w) => w.querySelector('.menu-item')?.textContent)).toEqual([
      'Add to video',
      'Make video from this text',
      'Make video from this article',
    ])
    const demo = screen.getByRole('region', { name: 'A 20-second demo of the three ways in' })
    expect(demo.querySelector('progress')?.getAttribute('max')).toBe(String(DEMO_MS))
    within(demo).getByRole('img', { name: 'From a web page to a short video' })
  })

  it('speaks Chinese', () => {
    setUiLanguage('zh')
    render(<Welcome />)
    screen.getByRole('heading', { name: '欢迎使用 PageReel' })
    screen.getByRole('heading', { name: '三种开始方式' })
    screen.getByRole('img', { name: '从网页到短视频' })
    expect(document.body.textContent).toContain('用这篇文章制作视频')
  })
})

describe('the demo draft', () => {
  const words = { title: 'T', steps: ['one', 'two', 'three'] }
  it('is a valid timeline the compositor plans as four pictures, a title, three captions and looping music', () => {
    const timeline = Timeline.parse(demoTimeline(urls, words))
    const plan = planTimeline(timeline)
    expect(plan.durationMs).toBe(DEMO_MS)
    expect(plan.visuals.map((v) => [v.url, v.kind, v.startMs, v.endMs])).toEqual([
      ['blob:a', 'image', 0, 5000],
      ['blob:b', 'image', 5000, 10_000],
      ['blob:c', 'image', 10_000, 15_000],
      ['blob:d', 'image', 15_000, 20_000],
    ])
    // Pictures that follow each other cross-fade.
    expect(plan.visuals.slice(1).every((v) => v.previous && v.fadeInMs > 0)).toBe(true)
    expect(plan.titles.map((t) => [t.text, t.place])).toEqual([
      ['T', 'middle'],
      ['one', 'bottom'],
      ['two', 'bottom'],
      ['three', 'bottom'],
    ])
    expect(plan.sounds).toMatchObject([{ url: 'blob:m', loop: true, startMs: 0, endMs: DEMO_MS }])
  })

  it('tells which way in is shown when: the title first, then one per quarter', () => {
    expect([0, 4999, 5000, 9999, 10_000, 15_000, 19_999, 20_000].map(demoStepAt)).toEqual([
      -1, -1, 0, 0, 1, 2, 2, 2,
    ])
  })
})
