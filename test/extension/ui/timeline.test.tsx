import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { ProjectState, Timeline } from '../../../shared/api/index.ts'
import { TimelineView } from '../../../extension/components/TimelineView.tsx'
import { projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION, STATE_FIXTURE } from './harness.tsx'

beforeEach(async () => {
  fakeBrowser.reset()
})
afterEach(() => cleanup())

const offset = Timeline.parse({
  durationMs: 20_000,
  tracks: [
    {
      kind: 'video',
      typeCode: 0,
      label: 'Video',
      segments: [
        { label: 'harbour.jpg', startMs: 0, endMs: 5_000 },
        { label: 'chart.png', startMs: 5_000, endMs: 15_000 },
      ],
    },
    {
      kind: 'audio',
      typeCode: 1,
      label: 'BGM',
      segments: [{ label: 'Calm piano', startMs: 2_500, endMs: 20_000, volumePercent: 60 }],
    },
    {
      kind: 'text',
      typeCode: 7,
      label: 'Title',
      segments: [{ label: 'Morning News', startMs: 15_000, endMs: 17_500 }],
    },
  ],
})

async function withProject() {
  await projectsItem.setValue({
    currentSessionId: SESSION,
    projects: [{ sessionId: SESSION, title: 'Night city', createdAt: new Date().toISOString() }],
  })
}

describe('timeline', () => {
  it('draws one row per track and places each segment on the total duration with its times', () => {
    render(<TimelineView timeline={offset} />)
    const lanes = screen.getAllByRole('list')
    expect(lanes.map((l) => l.getAttribute('aria-label'))).toEqual(['Video', 'BGM', 'Title'])

    const [harbour, chart] = within(lanes[0]!).getAllByRole('listitem')
    expect(harbour!.style.left).toBe('0.000%')
    expect(harbour!.style.width).toBe('25.000%')
    expect(chart!.style.left).toBe('25.000%')
    expect(chart!.style.width).toBe('50.000%')
    expect(chart!.textContent).toContain('0:05–0:15')

    const [piano] = within(lanes[1]!).getAllByRole('listitem')
    expect(piano!.style.left).toBe('12.500%')
    expect(piano!.style.width).toBe('87.500%')
    expect(piano!.textContent).toContain('60%')
    expect(piano!.getAttribute('aria-label')).toBe('BGM, Calm piano, 0:02.5–0:20, volume 60%')

    const [title] = within(lanes[2]!).getAllByRole('listitem')
    expect(title!.textContent).toContain('“Morning News”')
    expect(title!.style.left).toBe('75.000%')

    const ticks = [...document.querySelectorAll('.tl-tick')].map((t) => t.textContent)
    expect(ticks).toEqual(['0:00', '0:05', '0:10', '0:15', '0:20'])
    expect(screen.getByRole('group').getAttribute('aria-label')).toBe('Timeline, 0:20 long')
  })

  it('reads the current project state with its summary, and says so when the timeline is empty', async () => {
    await withProject()
    const worker = createFakeWorker()
    renderApp(worker)
    await waitFor(() => expect(document.querySelectorAll('.tl-bar')).toHaveLength(3))
    // In the UI's language, so the summary is too.
    expect(worker.callsOf('getState')).toEqual([[SESSION, 'en']])
    expect(document.querySelector('.timeline-summary')?.textContent).toBe(STATE_FIXTURE.summary)
    expect(screen.getByText('“Urban Dreams”')).toBeTruthy()

    worker.override('getState', async () =>
      ProjectState.parse({
        summary: 'Timeline (0 tracks)',
        exportable: false,
        timeline: { durationMs: 0, tracks: [] },
      }),
    )
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }))
    await screen.findByText('Nothing on the timeline yet.')
  })

  it('refreshes after a reply is done', async () => {
    await withProject()
    const worker = createFakeWorker()
    renderApp(worker)
    await waitFor(() => expect(worker.callsOf('getState')).toHaveLength(1))
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement
    await waitFor(() => expect(box.disabled).toBe(false))
    fireEvent.input(box, { target: { value: 'Make the title bigger' } })
    fireEvent.keyDown(box, { key: 'Enter' })
    await waitFor(() => expect(worker.runs.runIds()).toHaveLength(1))
    worker.runs.push(worker.runs.runIds()[0]!, { type: 'done', actions: [] })
    await waitFor(() => expect(worker.callsOf('getState')).toHaveLength(2))
    await waitFor(() => expect(worker.callsOf('getCredits').length).toBeGreaterThanOrEqual(2))
  })

  it('shows a returning user the draft last read at once, and the fresh one once the worker answers', async () => {
    await withProject()
    const first = createFakeWorker()
    renderApp(first)
    await waitFor(() => expect(document.querySelectorAll('.tl-bar')).toHaveLength(3))
    cleanup()

    // The popup opens again; the worker has not answered yet.
    const worker = createFakeWorker()
    let answer!: (s: ProjectState) => void
    worker.override('getState', () => new Promise<ProjectState>((r) => (answer = r)))
    renderApp(worker)
    await waitFor(() => expect(document.querySelectorAll('.tl-bar')).toHaveLength(3))
    expect(document.querySelector('.timeline-summary')?.textContent).toBe(STATE_FIXTURE.summary)
    expect(worker.callsOf('getState')).toEqual([[SESSION, 'en']])

    answer(
      ProjectState.parse({
        summary: 'Timeline (0 tracks)',
        exportable: false,
        timeline: { durationMs: 0, tracks: [] },
      }),
    )
    await screen.findByText('Nothing on the timeline yet.')
  })
})
