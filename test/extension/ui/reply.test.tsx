import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { renderMarkdown, safeHref } from '../../../extension/components/markdown-render.tsx'
import { chatItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

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
  type('Make a video about the coast')
  await waitFor(() => expect(worker.runs.runIds()).toHaveLength(1))
  const runId = worker.runs.runIds()[0]!
  await waitFor(() => expect(worker.runs.attaches).toHaveLength(1))
  return { app, worker, runId }
}

const composer = () => screen.getByLabelText('Message') as HTMLTextAreaElement

describe('markdown replies', () => {
  const HOSTILE = [
    'Here is **your plan**, see [the guide](https://nemovideo.test/guide) or [this](javascript:alert(1)).',
    '',
    '<img src=x onerror="globalThis.__pwned = 1">',
    '',
    '![a hidden tracker](https://tracker.test/p.png) and <b onclick="globalThis.__pwned = 2">bold</b>',
    '',
    '- first scene',
    '- second scene',
  ].join('\n')

  it('renders lists, bold and safe links as elements; raw HTML and images only as text', async () => {
    const { worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'text', delta: HOSTILE })
    worker.runs.push(runId, { type: 'done', actions: [] })
    const md = await waitFor(() => {
      const el = document.querySelector('.msg-reply .md')
      expect(el).toBeTruthy()
      return el!
    })
    expect(md.querySelector('strong')?.textContent).toBe('your plan')
    expect([...md.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'first scene',
      'second scene',
    ])
    const links = [...md.querySelectorAll('a')]
    expect(links).toHaveLength(1)
    expect(links[0]!.getAttribute('href')).toBe('https://nemovideo.test/guide')
    expect(links[0]!.getAttribute('target')).toBe('_blank')
    expect(links[0]!.getAttribute('rel')).toContain('noopener')
    // The javascript: link is its text, the image its alt text, the HTML the characters it is.
    expect(md.textContent).toContain('this')
    expect(md.textContent).toContain('a hidden tracker')
    expect(md.textContent).toContain('<img src=x onerror="globalThis.__pwned = 1">')
    expect(md.querySelector('img, b, [onerror], [onclick]')).toBeNull()
    expect(document.querySelector('.msg-reply img')).toBeNull()
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('looks like a chat reply: headings, code, tables and numbered lists', () => {
    const { container } = render(
      <div>
        {renderMarkdown(
          '# Plan\n\n3. three\n4. four\n\n`cut` the intro:\n\n```\ntrim 0:05\n```\n\n| scene | length |\n|---|---|\n| harbour | 4 s |\n\n> a quote',
        )}
      </div>,
    )
    expect(container.querySelector('h3')?.textContent).toBe('Plan')
    expect(container.querySelector('ol')?.getAttribute('start')).toBe('3')
    expect(container.querySelector('p code')?.textContent).toBe('cut')
    expect(container.querySelector('pre code')?.textContent).toBe('trim 0:05')
    expect([...container.querySelectorAll('td')].map((c) => c.textContent)).toEqual([
      'harbour',
      '4 s',
    ])
    expect(container.querySelector('blockquote')?.textContent).toBe('a quote')
  })

  it('opens only http(s) and mailto links', () => {
    expect(safeHref('https://a.test/x')).toBe('https://a.test/x')
    expect(safeHref('mailto:me@a.test')).toBe('mailto:me@a.test')
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
    ])
      expect(safeHref(bad)).toBeUndefined()
  })

  it('copies a finished reply', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'text', delta: '**Done.** Export when ready.' })
    expect(screen.queryByRole('button', { name: 'Copy' })).toBeNull()
    worker.runs.push(runId, { type: 'done', actions: [] })
    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }))
    await screen.findByRole('button', { name: 'Copied' })
    expect(writeText).toHaveBeenCalledWith('**Done.** Export when ready.')
  })
})

describe('honest waiting', () => {
  it('shows the working line with the elapsed time for the whole turn', async () => {
    const { worker, runId } = await startTurn()
    await screen.findByText('Working on it…')
    worker.runs.push(runId, { type: 'text', delta: 'First sentence.' })
    await screen.findByText('Writing…')
    expect(document.querySelector('.msg-reply .msg-elapsed')?.textContent).toMatch(/^\d+:\d\d$/)
    worker.runs.push(runId, { type: 'done', actions: [] })
    await waitFor(() => expect(document.querySelector('.msg-working')).toBeNull())
  })

  it('"Stop waiting" keeps the reply, sends nothing again, unlocks the composer and is not re-followed', async () => {
    const { app, worker, runId } = await startTurn()
    worker.runs.push(runId, { type: 'text', delta: 'Cutting the harbour scenes' })
    await waitFor(() => expect(composer().disabled).toBe(true))
    fireEvent.click(await screen.findByRole('button', { name: 'Stop waiting' }))
    await waitFor(() => expect(composer().disabled).toBe(false))
    screen.getByText(/You stopped waiting for this reply\. NemoVideo may still finish it/)
    // Events after the stop are not shown; the prompt went to the worker once.
    worker.runs.push(runId, { type: 'text', delta: ' and more' })
    await new Promise((r) => setTimeout(r, 50))
    expect(document.querySelector('.msg-reply .msg-text')?.textContent).toBe(
      'Cutting the harbour scenes',
    )
    expect(worker.runs.sent).toHaveLength(1)
    await waitFor(async () => {
      const stored = await chatItem(SESSION).getValue()
      expect(stored.messages.find((m) => m.kind === 'reply')).toMatchObject({
        status: 'stopped',
        text: 'Cutting the harbour scenes',
      })
    })
    // A reopened popup shows it as it was left and does not follow the run again.
    app.close()
    renderApp(worker)
    await screen.findByText('Cutting the harbour scenes')
    await new Promise((r) => setTimeout(r, 50))
    expect(worker.runs.attaches).toHaveLength(1)
    expect(worker.runs.sent).toHaveLength(1)
  })
})
