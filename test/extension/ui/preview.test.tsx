import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Timeline } from '../../../shared/api/index.ts'
import { TimelineView } from '../../../extension/components/TimelineView.tsx'
import { projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

beforeEach(() => {
  fakeBrowser.reset()
})
afterEach(() => cleanup())

const timeline = Timeline.parse({
  durationMs: 8_000,
  tracks: [
    {
      kind: 'video',
      typeCode: 0,
      label: 'Video',
      segments: [
        { label: 'harbour.jpg', startMs: 0, endMs: 4_000 },
        { label: 'chart.png', startMs: 4_000, endMs: 8_000 },
      ],
    },
  ],
})

describe('the timeline as the preview’s control', () => {
  it('makes every segment a focusable, labelled button that seeks to its start', () => {
    const onSeek = vi.fn()
    render(<TimelineView timeline={timeline} playheadMs={2_000} onSeek={onSeek} />)
    const [harbour, chart] = screen.getAllByRole('button')
    expect(harbour!.tabIndex).toBe(0)
    expect(chart!.getAttribute('aria-label')).toBe(
      'Video, chart.png, 0:04–0:08, press Enter to play from here',
    )
    // The playhead is in the first segment.
    expect(harbour!.getAttribute('aria-current')).toBe('time')
    expect(chart!.getAttribute('aria-current')).toBeNull()
    expect((document.querySelector('.tl-playhead') as HTMLElement).style.left).toBe('25.000%')

    fireEvent.click(chart!)
    expect(onSeek).toHaveBeenLastCalledWith(4_000)
    fireEvent.keyDown(harbour!, { key: 'Enter' })
    expect(onSeek).toHaveBeenLastCalledWith(0)
    fireEvent.keyDown(chart!, { key: ' ' })
    expect(onSeek).toHaveBeenLastCalledWith(4_000)
    fireEvent.keyDown(chart!, { key: 'a' })
    expect(onSeek).toHaveBeenCalledTimes(3)
  })

  it('is a plain picture without a player to drive', () => {
    render(<TimelineView timeline={timeline} />)
    expect(screen.queryAllByRole('button')).toEqual([])
    expect(document.querySelector('.tl-playhead')).toBeNull()
  })
})

describe('the preview player in the app', () => {
  it('sits above the project in the preset’s framing; a segment click moves its time and the playhead', async () => {
    await projectsItem.setValue({
      currentSessionId: SESSION,
      projects: [{ sessionId: SESSION, title: 'Night city', createdAt: new Date().toISOString() }],
    })
    const app = renderApp(createFakeWorker())
    const canvas = await waitFor(() => {
      const c = document.querySelector<HTMLCanvasElement>('.preview-canvas')
      if (!c) throw new Error('no player yet')
      return c
    })
    expect(canvas.getAttribute('aria-label')).toBe('Preview of the draft, 16:9 framing')
    expect(canvas.width / canvas.height).toBeCloseTo(16 / 9, 1)
    // At the top of the project: before the tray and the chat.
    const main = document.querySelector('.app-main')!
    expect(main.firstElementChild?.classList.contains('preview')).toBe(true)
    expect(document.querySelector('.preview-time')?.textContent).toBe('0:00 of 0:10')

    const seek = screen.getByRole('slider', { name: 'Position in the video' }) as HTMLInputElement
    fireEvent.input(seek, { target: { value: '5000' } })
    await waitFor(() =>
      expect(document.querySelector('.preview-time')?.textContent).toBe('0:05 of 0:10'),
    )
    expect((document.querySelector('.tl-playhead') as HTMLElement).style.left).toBe('50.000%')
    expect(app.state.preview.request.value).toMatchObject({ ms: 5000, play: false })
    // A title segment starts at 0: clicking it brings the player back there.
    fireEvent.click(screen.getByRole('button', { name: /^Title, “Urban Dreams”/ }))
    await waitFor(() =>
      expect(document.querySelector('.preview-time')?.textContent).toBe('0:00 of 0:10'),
    )
    expect(app.state.preview.request.value).toMatchObject({ ms: 0 })

    // The export panel's framing: 9:16 alone makes the player portrait.
    app.state.exports.toggle('9:16')
    app.state.exports.toggle('16:9')
    await waitFor(() => expect(canvas.getAttribute('data-preset')).toBe('9:16'))
    expect(canvas.height).toBeGreaterThan(canvas.width)
    app.close()
  })
})
