import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { SessionInfo } from '../../../shared/api/index.ts'
import { chatItem, projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeRuns, createFakeWorker, renderApp, SESSION, STATE_FIXTURE } from './harness.tsx'
import {
  ApiRequestError,
  unreachable as unreachableError,
} from '../../../extension/utils/api/index.ts'

beforeEach(() => {
  fakeBrowser.reset()
})
afterEach(() => cleanup())

function type(text: string) {
  const box = screen.getByLabelText('Message') as HTMLTextAreaElement
  fireEvent.input(box, { target: { value: text } })
  fireEvent.keyDown(box, { key: 'Enter' })
}

async function startTurn(worker = createFakeWorker()) {
  const app = renderApp(worker)
  type('Make a video about the city at night')
  await waitFor(() => expect(worker.runs.runIds()).toHaveLength(1))
  const runId = worker.runs.runIds()[0]!
  await waitFor(() => expect(worker.runs.attaches).toHaveLength(1))
  return { app, worker, runId }
}

const replyText = () => document.querySelector('.msg-reply .msg-text')?.textContent ?? ''

describe('chat', () => {
  it('creates the project on the first message and streams deltas in order', async () => {
    const { worker, runId } = await startTurn()
    expect(worker.callsOf('createSession')).toHaveLength(1)
    expect(worker.runs.sent[0]?.text).toBe('Make a video about the city at night')
    // The send's answer carries the reply: the reader starts from it, not from a request of its own.
    expect(worker.runs.handedOver).toEqual(worker.runs.answers)
    expect(worker.runs.handedOver).toHaveLength(1)
    for (const delta of ['Night', ' city', ' coming', ' up.'])
      worker.runs.push(runId, { type: 'text', delta })
    await waitFor(() => expect(replyText()).toBe('Night city coming up.'))
    expect(screen.getByRole('log')).toBeTruthy()
    // A turn is running: the composer says why it is disabled.
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(true)
    expect(screen.getByText('Wait for the reply to finish before sending more.')).toBeTruthy()
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() =>
      expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(false),
    )
  })

  it('shows editing, still working, notices and the summary, then chips from the done actions', async () => {
    const { worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'activity', kind: 'editing' })
    await screen.findByText('Editing your video…')
    worker.runs.push(runId, { type: 'still_working', silentForMs: 120_000 })
    await screen.findByText(/^Still working… \(\d+:\d\d\)$/)
    worker.runs.push(runId, { type: 'notice', code: 'session_renewed' })
    await screen.findByText('The editing session was renewed; your project continues.')
    worker.runs.push(runId, {
      type: 'summary',
      summary: STATE_FIXTURE.summary,
      timeline: STATE_FIXTURE.timeline,
    })
    worker.runs.push(runId, { type: 'done', actions: ['export', 'state'] })
    await waitFor(() =>
      expect(document.querySelector('.msg-reply .msg-summary')?.textContent).toBe(
        STATE_FIXTURE.summary,
      ),
    )
    expect(screen.queryByText(/^Still working/)).toBeNull()
    const chips = within(screen.getByRole('group', { name: 'Suggested next steps' }))
    fireEvent.click(chips.getByRole('button', { name: 'Export' }))
    // The chip exports directly: a job, no chat message.
    await waitFor(() => expect(worker.callsOf('createExport')).toHaveLength(1))
    expect(worker.runs.sent).toHaveLength(1)
  })

  it('shows a stream error in the UI language with its action (register link with the bind id)', async () => {
    const { app, worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'text', delta: 'Let me' })
    worker.runs.push(runId, {
      type: 'error',
      error: {
        code: 'no_credits',
        message: 'no credits',
        action: { kind: 'register', url: 'https://nemo.web.test/register?bind=anon_42' },
      },
    })
    await screen.findByText(
      'You have run out of credits. Register a free NemoVideo account to get more.',
    )
    fireEvent.click(
      within(screen.getByRole('log')).getByRole('button', { name: 'Register (free)' }),
    )
    expect(app.opened).toEqual(['https://nemo.web.test/register?bind=anon_42'])
    expect(replyText()).toBe('Let me')
  })

  it('ignores events it does not know and keeps streaming', async () => {
    const { worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'tool_call', name: 'add_clip', args: { secret: 'x' } }, true)
    worker.runs.push(runId, { type: 'text' }, true)
    worker.runs.push(runId, { type: 'text', delta: 'Done editing.' })
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() => expect(replyText()).toBe('Done editing.'))
    expect(document.body.textContent).not.toContain('add_clip')
    expect(document.body.textContent).not.toContain('tool_call')
  })

  it('re-attaches after the popup closed mid-reply: shows the partial reply, resumes after lastSeq, no duplicates', async () => {
    const worker = createFakeWorker(createFakeRuns({ overlap: 2 }))
    const { app, runId } = await startTurn(worker)
    worker.runs.push(runId, { type: 'text', delta: 'Hel' })
    worker.runs.push(runId, { type: 'text', delta: 'lo' })
    await waitFor(() => expect(replyText()).toBe('Hello'))
    await waitFor(async () => {
      const stored = await chatItem(SESSION).getValue()
      expect(stored.messages.find((m) => m.kind === 'reply')).toMatchObject({
        text: 'Hello',
        lastSeq: 2,
      })
    })
    app.close()

    // The reply goes on while the popup is closed.
    worker.runs.push(runId, { type: 'text', delta: ' there' })
    const reopened = renderApp(worker)
    await waitFor(() => expect(replyText()).toMatch(/^Hello/))
    await waitFor(() => expect(worker.runs.attaches.at(-1)).toEqual({ runId, after: 2 }))
    worker.runs.push(runId, { type: 'text', delta: ', friend' })
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() => expect(replyText()).toBe('Hello there, friend'))
    expect(document.querySelectorAll('.msg-reply')).toHaveLength(1)
    expect(worker.runs.sent).toHaveLength(1)
    await waitFor(async () => {
      const stored = await chatItem(SESSION).getValue()
      expect(stored.messages.find((m) => m.kind === 'reply')).toMatchObject({
        text: 'Hello there, friend',
        status: 'done',
      })
    })
    reopened.close()
  })

  it('re-sends with the same clientMessageId when the popup closed before the answer', async () => {
    const worker = createFakeWorker()
    const release = worker.runs.holdSends()
    const app = renderApp(worker)
    type('Add a title that says Urban Dreams')
    await waitFor(() => expect(worker.runs.sent).toHaveLength(1))
    await waitFor(async () =>
      expect((await chatItem(SESSION).getValue()).pending?.clientMessageId).toBe(
        worker.runs.sent[0]?.clientMessageId,
      ),
    )
    app.close()
    release()

    renderApp(worker)
    await waitFor(() => expect(worker.runs.sent).toHaveLength(2))
    expect(worker.runs.sent[1]?.clientMessageId).toBe(worker.runs.sent[0]?.clientMessageId)
    expect(worker.runs.runIds()).toHaveLength(1)
    const runId = worker.runs.runIds()[0]!
    worker.runs.push(runId, { type: 'text', delta: 'Title added.' })
    await waitFor(() => expect(replyText()).toBe('Title added.'))
    expect(
      within(screen.getByRole('log')).getAllByText('Add a title that says Urban Dreams'),
    ).toHaveLength(1)
    // The untitled project is named after its first message.
    expect(screen.getByRole('combobox', { name: 'Project' }).textContent).toBe(
      'Add a title that says Urban Dreams',
    )
  })

  it('routes typed export / credits / status straight to their calls, without a chat turn', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    type('credits')
    await screen.findByText('Your balance: 90 of 100 credits available.')
    type('export 9:16')
    await screen.findByText('Export started: 9:16. Follow it in the Export section.')
    expect(worker.callsOf('createExport')[0]?.[1]).toMatchObject({ preset: '9:16' })
    type('状态')
    await waitFor(() =>
      expect(document.querySelector('.msg-system .msg-summary')?.textContent).toBe(
        STATE_FIXTURE.summary,
      ),
    )
    expect(worker.runs.sent).toHaveLength(0)
  })

  it('a message the worker never answered is retried with the same clientMessageId', async () => {
    const worker = createFakeWorker()
    let unreachable = true
    const send = worker.runs.api.sendMessage
    worker.override('sendMessage', async (...args) => {
      if (unreachable) {
        worker.runs.sent.push(args[1])
        throw unreachableError(new Error('offline'), 'unreachable')
      }
      return send(...args)
    })
    renderApp(worker)
    type('Make it faster')
    await screen.findByText('NemoVideo is not reachable right now. Please try again.')
    await waitFor(() =>
      expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(false),
    )
    unreachable = false
    fireEvent.click(within(screen.getByRole('log')).getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(worker.runs.runIds()).toHaveLength(1))
    expect(worker.runs.sent).toHaveLength(2)
    expect(worker.runs.sent[1]?.clientMessageId).toBe(worker.runs.sent[0]?.clientMessageId)
    worker.runs.push(worker.runs.runIds()[0]!, { type: 'text', delta: 'Faster now.' })
    await waitFor(() => expect(replyText()).toBe('Faster now.'))
  })

  it('keeps the popup and the side panel in step when both are open', async () => {
    const worker = createFakeWorker()
    const { runId } = await startTurn(worker)
    const panel = renderApp(worker)
    const panelLog = () => within(panel.view.container as HTMLElement).getByRole('log')
    await waitFor(() =>
      expect(within(panelLog()).getByText('Make a video about the city at night')).toBeTruthy(),
    )
    worker.runs.push(runId, { type: 'text', delta: 'Both' })
    worker.runs.push(runId, { type: 'text', delta: ' see this.' })
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() =>
      expect(panelLog().querySelector('.msg-reply .msg-text')?.textContent).toBe('Both see this.'),
    )
    await waitFor(async () => {
      const stored = await chatItem(SESSION).getValue()
      expect(stored.messages.map((m) => m.kind)).toEqual(['user', 'reply'])
      expect(stored.messages[1]).toMatchObject({ text: 'Both see this.', status: 'done' })
    })
    // The second page's message lands in the same history, seen by the first page too.
    const box = within(panel.view.container as HTMLElement).getByLabelText(
      'Message',
    ) as HTMLTextAreaElement
    await waitFor(() => expect(box.disabled).toBe(false))
    fireEvent.input(box, { target: { value: 'Now add music' } })
    fireEvent.keyDown(box, { key: 'Enter' })
    await waitFor(() =>
      expect(worker.runs.sent.map((m) => m.text)).toEqual([
        'Make a video about the city at night',
        'Now add music',
      ]),
    )
    await waitFor(async () =>
      expect((await chatItem(SESSION).getValue()).messages.map((m) => m.kind)).toEqual([
        'user',
        'reply',
        'user',
        'reply',
      ]),
    )
    await waitFor(() => expect(document.querySelectorAll('.msg-user')).toHaveLength(4))
  })

  it('a new project is a new session with a fresh chat; the old chat stays in the list', async () => {
    const { worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'text', delta: 'First project reply.' })
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() => expect(replyText()).toBe('First project reply.'))
    fireEvent.click(screen.getByRole('button', { name: 'New project' }))
    await waitFor(() => expect(worker.callsOf('createSession')).toHaveLength(2))
    await screen.findByText(/^Describe the video you want/)
    expect(document.querySelectorAll('.msg')).toHaveLength(0)
    const select = screen.getByRole('combobox', { name: 'Project' }) as HTMLSelectElement
    expect(select.options).toHaveLength(2)
    fireEvent.change(select, { target: { value: SESSION } })
    await waitFor(() => expect(replyText()).toBe('First project reply.'))
  })

  it('Shift+Enter is a new line; typed "upload" opens the file picker without a chat turn', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement
    fireEvent.input(box, { target: { value: 'first line' } })
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true })
    expect(box.value).toBe('first line')
    expect(worker.callsOf('createSession')).toHaveLength(0)

    const picker = document.querySelector('input[type=file]') as HTMLInputElement
    const click = vi.spyOn(picker, 'click').mockImplementation(() => {})
    type('upload')
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1))
    expect(worker.runs.sent).toHaveLength(0)
  })

  it('when another turn is already running, says so and shows that turn streaming', async () => {
    const worker = createFakeWorker()
    await projectsItem.setValue({
      currentSessionId: SESSION,
      projects: [{ sessionId: SESSION, title: 'City', createdAt: new Date().toISOString() }],
    })
    let elsewhere: string | undefined
    worker.override('sendMessage', async () => {
      throw new ApiRequestError({ code: 'run_in_progress', message: 'A turn is running.' }, 409)
    })
    worker.override('getSession', async (sessionId: string) =>
      SessionInfo.parse({
        sessionId,
        language: 'en',
        createdAt: new Date().toISOString(),
        ...(elsewhere && {
          latestRun: {
            runId: elsewhere,
            status: 'running',
            lastEventId: 0,
            startedAt: new Date().toISOString(),
          },
        }),
      }),
    )
    renderApp(worker)
    await screen.findByRole('log')
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement
    await waitFor(() => expect(box.disabled).toBe(false))
    // Meanwhile a turn was started elsewhere (another device) in this session.
    elsewhere = (
      await worker.base.sendMessage(SESSION, { text: 'x', clientMessageId: 'elsewhere-1' })
    ).runId
    type('Make it shorter')
    const alert = await within(screen.getByRole('log')).findByRole('alert')
    expect(alert.textContent).toContain('Still working on your previous message.')
    await waitFor(() => expect(worker.runs.attaches).toEqual([{ runId: elsewhere, after: 0 }]))
    worker.runs.push(elsewhere, { type: 'text', delta: 'Working on the other request.' })
    await waitFor(() => expect(replyText()).toBe('Working on the other request.'))
  })

  it('shows a turn that is running without this page when the chat opens', async () => {
    const worker = createFakeWorker()
    await projectsItem.setValue({
      currentSessionId: SESSION,
      projects: [{ sessionId: SESSION, title: 'City', createdAt: new Date().toISOString() }],
    })
    const { runId } = await worker.base.sendMessage(SESSION, {
      text: 'x',
      clientMessageId: 'other-0001',
    })
    worker.runs.push(runId, { type: 'text', delta: 'Half way' })
    worker.override('getSession', async (sessionId: string) =>
      SessionInfo.parse({
        sessionId,
        language: 'en',
        createdAt: new Date().toISOString(),
        latestRun: {
          runId,
          status: 'running',
          lastEventId: 1,
          startedAt: new Date().toISOString(),
        },
      }),
    )
    renderApp(worker)
    await waitFor(() => expect(replyText()).toBe('Half way'))
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(true)
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() =>
      expect((screen.getByLabelText('Message') as HTMLTextAreaElement).disabled).toBe(false),
    )
  })
})
