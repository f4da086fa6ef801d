import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { ApiRequestError } from '../../../extension/utils/api/index.ts'
import { projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION, STATE_FIXTURE } from './harness.tsx'
import { stubEncoder } from './stub-encoder.ts'

beforeEach(async () => {
  fakeBrowser.reset()
  await projectsItem.setValue({
    currentSessionId: SESSION,
    projects: [{ sessionId: SESSION, title: 'Night city', createdAt: new Date().toISOString() }],
  })
})
afterEach(() => cleanup())

const panel = () =>
  within(screen.getByText('Export', { selector: '.section-title' }).closest('details')!)
const exportHere = () => panel().getByRole('button', { name: /^(Export here|Reading the draft…)$/ })

/** The background's side of the messages: records what the popup asks it to render. */
function recordRenderRequests() {
  const asked: Array<{ type: string; timeline?: unknown; presets?: string[] }> = []
  fakeBrowser.runtime.onMessage.addListener((msg: unknown) => {
    const m = msg as { type: string; timeline?: unknown; presets?: string[] }
    if (m.type !== 'render-here') return undefined
    asked.push(m)
    return Promise.resolve({ ok: true, jobIds: ['job_here0000000000000001'] })
  })
  return asked
}

function held<T>() {
  let release!: (v: T) => void
  const promise = new Promise<T>((r) => (release = r))
  return { promise, release }
}

describe('Export here in a fresh popup', () => {
  it('works before the draft was read: it reads it (saying so), then renders it', async () => {
    const configs = stubEncoder(true)
    const asked = recordRenderRequests()
    const worker = createFakeWorker()
    const state = held<typeof STATE_FIXTURE>()
    worker.override('getState', () => state.promise)
    renderApp(worker)
    // The browser was asked about the encoder's exact stream, at every preset's size.
    await waitFor(() => expect(configs).toHaveLength(3))
    expect(configs[0]).toMatchObject({ codec: 'avc1.640028', width: 1920, height: 1080 })

    await waitFor(() => expect(exportHere()).toHaveProperty('disabled', false))
    fireEvent.click(exportHere())
    await waitFor(() => expect(exportHere().textContent).toBe('Reading the draft…'))
    expect(exportHere()).toHaveProperty('disabled', true)
    expect(asked).toEqual([])

    state.release(STATE_FIXTURE)
    await waitFor(() => expect(asked).toHaveLength(1))
    expect(asked[0]).toMatchObject({ presets: ['16:9'], timeline: STATE_FIXTURE.timeline })
    await waitFor(() => expect(exportHere().textContent).toBe('Export here'))
  })

  it('a draft that cannot be read: a clear error, nothing started, the choice kept', async () => {
    stubEncoder(true)
    const asked = recordRenderRequests()
    const worker = createFakeWorker()
    worker.override('getState', () =>
      Promise.reject(
        new ApiRequestError(
          { code: 'upstream_unavailable', message: 'NemoVideo is not answering.' },
          503,
        ),
      ),
    )
    renderApp(worker)
    fireEvent.click(panel().getByRole('button', { name: /^1:1/ }))
    await waitFor(() => expect(exportHere()).toHaveProperty('disabled', false))
    fireEvent.click(exportHere())
    const alert = await waitFor(() =>
      panel()
        .getAllByRole('alert')
        .find((a) => a.textContent?.includes('Export here could not read the draft')),
    )
    expect(alert).toBeTruthy()
    expect(
      panel().getByText('Nothing was started and your choices are kept', { exact: false }),
    ).toBeTruthy()
    expect(asked).toEqual([])
    expect(panel().getByRole('button', { name: /^1:1/ }).getAttribute('aria-pressed')).toBe('true')
    // Pressing again reads again, and now it works.
    worker.override('getState', async () => STATE_FIXTURE)
    fireEvent.click(exportHere())
    await waitFor(() => expect(asked).toHaveLength(1))
    expect(asked[0]!.presets).toEqual(['16:9', '1:1'])
  })

  it('a browser that cannot encode H.264: the button is off and says why, before any job', async () => {
    stubEncoder(false)
    const asked = recordRenderRequests()
    renderApp(createFakeWorker())
    const why = await waitFor(() =>
      panel().getByText('This browser cannot encode H.264 video on this device', { exact: false }),
    )
    expect(exportHere()).toHaveProperty('disabled', true)
    expect(exportHere().getAttribute('aria-describedby')).toBe(why.id)
    fireEvent.click(exportHere())
    expect(asked).toEqual([])
  })

  it('a browser without WebCodecs says so', async () => {
    recordRenderRequests()
    renderApp(createFakeWorker())
    await waitFor(() =>
      panel().getByText('This browser has no video encoder (WebCodecs)', { exact: false }),
    )
    expect(exportHere()).toHaveProperty('disabled', true)
  })
})
