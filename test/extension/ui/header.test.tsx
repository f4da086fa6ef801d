import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

beforeEach(() => {
  fakeBrowser.reset()
})
afterEach(() => cleanup())

describe('header', () => {
  it('always shows the balance and the kind of account; a click refreshes it', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    const badge = await screen.findByRole('button', { name: /^90 credits · Free\./ })
    expect(badge.getAttribute('title')).toBe('Available 90 · reserved 5 · total 100')
    const before = worker.callsOf('getCredits').length
    fireEvent.click(badge)
    await waitFor(() => expect(worker.callsOf('getCredits')).toHaveLength(before + 1))
  })

  it('opens the project in NemoVideo through the claim link, and the settings', async () => {
    await projectsItem.setValue({
      currentSessionId: SESSION,
      projects: [{ sessionId: SESSION, title: 'Night city', createdAt: new Date().toISOString() }],
    })
    const worker = createFakeWorker()
    const app = renderApp(worker)
    const open = await screen.findByRole('button', { name: 'Open in NemoVideo' })
    await waitFor(() => expect((open as HTMLButtonElement).disabled).toBe(false))
    fireEvent.click(open)
    await waitFor(() =>
      expect(app.opened).toEqual(['https://nemo.web.test/workspace/claim?ct=abc']),
    )
    expect(worker.callsOf('claim')).toEqual([[SESSION]])
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    expect(app.optionsOpened()).toBe(1)
  })

  it('cannot open NemoVideo before there is a project', async () => {
    renderApp(createFakeWorker())
    const open = await screen.findByRole('button', { name: 'Open in NemoVideo' })
    expect((open as HTMLButtonElement).disabled).toBe(true)
  })
})
