import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Credits } from '../../../shared/api/index.ts'
import { createFakeWorker, renderApp, STATE_FIXTURE } from './harness.tsx'

beforeEach(() => {
  fakeBrowser.reset()
})
afterEach(() => cleanup())

const balance = (available: number) =>
  Credits.parse({ available, frozen: 0, total: 100, tokenKind: 'anonymous' })

describe('cost before it is spent', () => {
  it('the badge explains what a video and an edit cost and how to get more', async () => {
    const worker = createFakeWorker()
    const app = renderApp(worker)
    fireEvent.click(await screen.findByRole('button', { name: /^90 credits · Free\./ }))
    const info = within(screen.getByRole('region', { name: 'About credits' }))
    info.getByText(/A new video costs about 100 credits and an edit about 50; export is free/)
    fireEvent.click(info.getByRole('button', { name: 'Register (free)' }))
    expect(app.opened).toEqual(['https://nemo.web.test/register?bind=anon_42'])
    fireEvent.click(info.getByRole('button', { name: 'Use my own API token' }))
    expect(app.optionsOpened()).toBe(1)
  })

  it('warns before a message that will likely run out, by what it would do', async () => {
    const worker = createFakeWorker()
    worker.override('getCredits', async () => balance(60))
    const app = renderApp(worker)
    // No video yet: the next message makes one (about 100).
    const note = await screen.findByRole('note')
    expect(note.textContent).toContain('You have 60 credits; a new video usually needs about 100')
    fireEvent.click(within(note).getByRole('button', { name: 'Register (free)' }))
    expect(app.opened).toEqual(['https://nemo.web.test/register?bind=anon_42'])
    // With a video in the project, the next message is an edit (about 50): 60 is enough.
    app.state.timeline.applySummary(STATE_FIXTURE)
    await waitFor(() => expect(screen.queryByRole('note')).toBeNull())
  })

  it('says nothing when the balance covers the next message', async () => {
    const worker = createFakeWorker()
    worker.override('getCredits', async () => balance(250))
    renderApp(worker)
    await screen.findByRole('button', { name: /^250 credits/ })
    expect(screen.queryByRole('note')).toBeNull()
  })
})
