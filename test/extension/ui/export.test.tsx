import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Credits, ExportJob, type CreateExportRequest } from '../../../shared/api/index.ts'
import { jobsItem, pendingExportsItem, projectsItem } from '../../../extension/utils/storage.ts'
import { ApiRequestError } from '../../../extension/utils/api/index.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

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
const toggle = (preset: string) => panel().getByRole('button', { name: new RegExp(`^${preset}`) })

function job(over: Partial<ExportJob> & Pick<ExportJob, 'jobId' | 'status'>): ExportJob {
  const at = new Date().toISOString()
  return ExportJob.parse({
    sessionId: SESSION,
    preset: '16:9',
    width: 1920,
    height: 1080,
    createdAt: at,
    updatedAt: at,
    ...over,
  })
}

describe('export', () => {
  it('starts one job per selected preset, each with its own key persisted before the request', async () => {
    const worker = createFakeWorker()
    const pendingAtCall: string[][] = []
    const create = worker.base.createExport
    worker.override('createExport', async (sessionId: string, body: CreateExportRequest) => {
      pendingAtCall.push((await pendingExportsItem.getValue()).map((p) => p.idempotencyKey))
      return create(sessionId, body)
    })
    const app = renderApp(worker)
    expect(toggle('16:9').getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(toggle('9:16'))
    fireEvent.click(toggle('1:1'))
    const start = panel().getByRole('button', { name: 'Export (3)' })
    fireEvent.click(start)
    fireEvent.click(start)
    await waitFor(() => expect(panel().getAllByRole('listitem')).toHaveLength(3))

    const bodies = worker.callsOf('createExport').map((args) => args[1] as CreateExportRequest)
    expect(bodies.map((b) => b.preset)).toEqual(['16:9', '9:16', '1:1'])
    const keys = bodies.map((b) => b.idempotencyKey)
    expect(new Set(keys).size).toBe(3)
    for (const [i, key] of keys.entries()) expect(pendingAtCall[i]).toContain(key)
    await waitFor(async () => expect(await pendingExportsItem.getValue()).toEqual([]))
    expect((await jobsItem.getValue()).jobs.map((j) => j.job.preset).sort()).toEqual([
      '16:9',
      '1:1',
      '9:16',
    ])
    expect(app.followed).toHaveLength(3)
    expect(panel().getAllByText(/^Waiting to render · 0:0\d · usually 30–90 s$/)).toHaveLength(3)
  })

  it('re-sends an unanswered click with the same keys after the popup reopens', async () => {
    const worker = createFakeWorker()
    const create = worker.base.createExport
    let hang = true
    worker.override('createExport', (sessionId: string, body: CreateExportRequest) =>
      hang ? new Promise(() => {}) : create(sessionId, body),
    )
    const app = renderApp(worker)
    fireEvent.click(panel().getByRole('button', { name: 'Export (1)' }))
    await waitFor(() => expect(worker.callsOf('createExport')).toHaveLength(1))
    app.close()
    hang = false
    renderApp(worker)
    await waitFor(() => expect(worker.callsOf('createExport')).toHaveLength(2))
    const [first, second] = worker
      .callsOf('createExport')
      .map((a) => (a[1] as CreateExportRequest).idempotencyKey)
    expect(second).toBe(first)
    await waitFor(() => expect(panel().getAllByRole('listitem')).toHaveLength(1))
  })

  it('shows one honest line per job: editing, rendering with progress, ready with download, failed with its reason', async () => {
    const worker = createFakeWorker()
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString()
    await jobsItem.setValue({
      jobs: [
        {
          job: job({
            jobId: 'job_AAAAAAAAAAAAAAAA',
            status: 'processing',
            progress: 40,
            createdAt: ago(20),
          }),
          notified: false,
        },
        {
          job: job({
            jobId: 'job_BBBBBBBBBBBBBBBB',
            preset: '1:1',
            status: 'completed',
            createdAt: ago(100),
            updatedAt: ago(35),
            completedAt: ago(35),
          }),
          notified: true,
        },
        {
          job: job({
            jobId: 'job_CCCCCCCCCCCCCCCC',
            preset: '9:16',
            status: 'failed',
            createdAt: ago(200),
            error: { code: 'render_failed', message: 'x' },
          }),
          notified: true,
        },
      ],
    })
    const app = renderApp(worker)
    await panel().findByText(/^Rendering 40% · 0:2\d · about 0:3\d left$/)
    expect(panel().getByText('Ready · took 1:05')).toBeTruthy()
    expect(panel().getByText('Failed')).toBeTruthy()
    expect(panel().getByText('The video could not be rendered. Try exporting again.')).toBeTruthy()

    fireEvent.click(panel().getByRole('button', { name: 'Download' }))
    await waitFor(() => expect(app.downloads).toEqual(['job_BBBBBBBBBBBBBBBB']))
    worker.jobs.set(
      'job_AAAAAAAAAAAAAAAA',
      job({ jobId: 'job_AAAAAAAAAAAAAAAA', status: 'processing' }),
    )
    fireEvent.click(panel().getByRole('button', { name: 'Cancel' }))
    await panel().findByText('Cancelled')
    expect(worker.callsOf('cancelExport')).toEqual([['job_AAAAAAAAAAAAAAAA']])
  })

  it('says a pending render waits for the AI editing while a chat turn runs in its project', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    // The box is enabled for a moment before the saved project is read: wait for its chat.
    await screen.findByRole('log')
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement
    await waitFor(() => expect(box.disabled).toBe(false))
    fireEvent.input(box, { target: { value: 'Add music and export it' } })
    fireEvent.keyDown(box, { key: 'Enter' })
    await waitFor(() => expect(worker.runs.runIds()).toHaveLength(1))
    await jobsItem.setValue({
      jobs: [{ job: job({ jobId: 'job_DDDDDDDDDDDDDDDD', status: 'pending' }), notified: false }],
    })
    await panel().findByText(/^AI is still editing \(0:0\d\) · the render starts after$/)
    worker.runs.push(worker.runs.runIds()[0]!, { type: 'done', actions: [] })
    await panel().findByText(/^Waiting to render/)
  })

  it('warns anonymous accounts before exporting and offers registration and the API-token setting', async () => {
    const app = renderApp(createFakeWorker())
    await panel().findByText(/free anonymous account/)
    fireEvent.click(panel().getByRole('button', { name: 'Register (free)' }))
    expect(app.opened).toEqual(['https://nemo.web.test/register?bind=anon_42'])
    fireEvent.click(panel().getByRole('button', { name: 'Use my own API token' }))
    expect(app.optionsOpened()).toBe(1)
    // Still allowed to try.
    expect(
      (panel().getByRole('button', { name: 'Export (1)' }) as HTMLButtonElement).disabled,
    ).toBe(false)
  })

  it('does not warn a user with their own account', async () => {
    const worker = createFakeWorker()
    worker.override('getCredits', async () =>
      Credits.parse({ available: 500, frozen: 0, total: 500, tokenKind: 'user' }),
    )
    renderApp(worker)
    await screen.findByText('Your account')
    expect(panel().queryByText(/free anonymous account/)).toBeNull()
  })

  it('a 402 plan_required says register or upgrade (never credits) with the register and API-token actions', async () => {
    const worker = createFakeWorker()
    worker.override('createExport', async () => {
      throw new ApiRequestError({ code: 'plan_required', message: 'Export needs a plan' }, 403)
    })
    const app = renderApp(worker)
    fireEvent.click(panel().getByRole('button', { name: 'Export (1)' }))
    const alert = await panel().findByRole('alert')
    expect(alert.textContent).toContain('Register or upgrade your plan to unlock export.')
    expect(alert.textContent?.toLowerCase()).not.toContain('credit')
    fireEvent.click(within(alert).getByRole('button', { name: 'Register (free)' }))
    expect(app.opened).toEqual(['https://nemo.web.test/register?bind=anon_42'])
    fireEvent.click(within(alert).getByRole('button', { name: 'Use my own API token' }))
    expect(app.optionsOpened()).toBe(1)
    expect(await pendingExportsItem.getValue()).toEqual([])
    expect(panel().queryAllByRole('listitem')).toHaveLength(0)
  })
})
