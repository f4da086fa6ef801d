import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { clearBlobs } from '../../../extension/utils/blob-store.ts'
import { pendingIntentItem, trayItem } from '../../../extension/utils/storage.ts'
import { addTrayImages, addTrayText, getTrayItems } from '../../../extension/utils/tray.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'
import { ApiRequestError } from '../../../extension/utils/api/index.ts'

beforeEach(async () => {
  fakeBrowser.reset()
  await clearBlobs()
})
afterEach(() => cleanup())

const page = 'https://news.test/story'
const png = () => new Blob([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], { type: 'image/png' })

async function seedTray() {
  await addTrayImages([
    { src: 'https://cdn.test/a.jpg', pageUrl: page, alt: 'Harbour' },
    { src: 'blob:https://news.test/123', pageUrl: page, alt: 'Chart', bytes: png() },
  ])
  await addTrayText({ text: 'The city wakes up.', pageUrl: page })
}

const stored = async () => (await getTrayItems()).map((i) => (i.kind === 'image' ? i.alt : i.text))
const tray = () => within(screen.getByRole('region', { name: /^Tray/ }))

describe('tray', () => {
  it('shows the items from storage, reorders with the move buttons, removes and clears, all persisted', async () => {
    await seedTray()
    renderApp(createFakeWorker())
    await tray().findByRole('img', { name: 'Harbour' })
    expect(tray().getByText('The city wakes up.')).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'Tray (3)' })).toBeTruthy()

    fireEvent.click(tray().getByRole('button', { name: 'Move Image 1 later' }))
    await waitFor(async () =>
      expect(await stored()).toEqual(['Chart', 'Harbour', 'The city wakes up.']),
    )
    await waitFor(() =>
      expect(tray().getAllByRole('listitem')[0]?.getAttribute('aria-label')).toBe('Image 1'),
    )
    fireEvent.click(tray().getByRole('button', { name: 'Move Text 3 earlier' }))
    await waitFor(async () =>
      expect(await stored()).toEqual(['Chart', 'The city wakes up.', 'Harbour']),
    )

    fireEvent.click(tray().getByRole('button', { name: 'Remove Image 1' }))
    await waitFor(async () => expect(await stored()).toEqual(['The city wakes up.', 'Harbour']))
    fireEvent.click(tray().getByRole('button', { name: 'Clear' }))
    await waitFor(async () => expect(await stored()).toEqual([]))
    await tray().findByText(/Right-click images/)
  })

  it('reorders by drag and drop', async () => {
    await seedTray()
    renderApp(createFakeWorker())
    await tray().findByRole('img', { name: 'Harbour' })
    const [first, , third] = tray().getAllByRole('listitem')
    fireEvent.dragStart(third!)
    fireEvent.drop(first!)
    await waitFor(async () =>
      expect(await stored()).toEqual(['The city wakes up.', 'Harbour', 'Chart']),
    )
  })

  it('makes a video: URL images by URL, local bytes as files, then the first message with the script', async () => {
    await seedTray()
    const worker = createFakeWorker()
    renderApp(worker)
    fireEvent.click(await tray().findByRole('button', { name: 'Make video from these images' }))
    await waitFor(() => expect(worker.runs.sent).toHaveLength(1))
    expect(worker.callsOf('uploadUrls')).toEqual([[SESSION, ['https://cdn.test/a.jpg']]])
    const files = worker.callsOf('uploadFiles')
    expect(files).toHaveLength(1)
    const [file] = files[0]![1] as [{ blob: Blob; name: string }]
    expect(file.name).toBe('image-2.png')
    expect(file.blob.size).toBe(7)
    expect(worker.runs.sent[0]?.text).toBe(
      'Make a video from these 2 images.\nScript: The city wakes up.',
    )
    await waitFor(async () => expect(await stored()).toEqual([]))
  })

  it('a failed upload keeps the tray and says which item failed and why', async () => {
    await seedTray()
    const worker = createFakeWorker()
    worker.override('uploadFiles', async () => {
      throw new ApiRequestError(
        {
          code: 'upload_too_large',
          message: 'too large',
          action: { kind: 'compress' },
          params: { limitBytes: 1048576 },
        },
        413,
      )
    })
    renderApp(worker)
    fireEvent.click(await tray().findByRole('button', { name: 'Make video from these images' }))
    const alert = await tray().findByRole('alert')
    expect(alert.textContent).toContain('Image 2:')
    expect(alert.textContent).toContain('1 MB')
    expect(alert.textContent).toContain('Compress or trim the file, then try again.')
    expect(worker.runs.sent).toHaveLength(0)
    expect(await stored()).toEqual(['Harbour', 'Chart', 'The city wakes up.'])
    expect(tray().getAllByRole('listitem')[1]?.className).toContain('tray-item-failed')
  })

  it('checks files from disk before sending: images join the tray, others get a clear error', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    const input = document.querySelector('input[type=file]') as HTMLInputElement
    const good = new File([png()], 'holiday.png', { type: 'image/png' })
    const bad = new File(['%PDF'], 'notes.pdf', { type: 'application/pdf' })
    Object.defineProperty(input, 'files', { value: [good, bad], configurable: true })
    fireEvent.change(input)
    const alert = await tray().findByRole('alert')
    expect(alert.textContent).toContain('notes.pdf: This file type is not supported.')
    expect(alert.textContent).toContain('Supported formats: mp4, mov')
    await waitFor(async () => expect(await stored()).toEqual(['holiday.png']))
    expect((await getTrayItems())[0]).toMatchObject({ kind: 'image', mime: 'image/png' })
    expect(worker.calls.filter((c) => c.method.startsWith('upload'))).toEqual([])
  })

  it('picks up the "make video" a context menu left in storage', async () => {
    await seedTray()
    const [, chart] = (await trayItem.getValue()).items
    const worker = createFakeWorker()
    renderApp(worker)
    await tray().findByRole('img', { name: 'Harbour' })
    await pendingIntentItem.setValue({ kind: 'make_video', itemIds: [chart!.id], at: Date.now() })
    await waitFor(() => expect(worker.runs.sent).toHaveLength(1))
    expect(worker.runs.sent[0]?.text).toBe('Make a video from this image.')
    expect(worker.callsOf('uploadUrls')).toEqual([])
    expect(await pendingIntentItem.getValue()).toBeNull()
    await waitFor(async () => expect(await stored()).toEqual(['Harbour', 'The city wakes up.']))
  })

  it('picks up an intent left before the panel opened, and ignores a stale one', async () => {
    await seedTray()
    const worker = createFakeWorker()
    await pendingIntentItem.setValue({
      kind: 'make_video',
      itemIds: [],
      at: Date.now() - 60 * 60_000,
    })
    const first = renderApp(worker)
    await tray().findByRole('img', { name: 'Harbour' })
    expect(worker.runs.sent).toHaveLength(0)
    first.close()
    cleanup()

    await pendingIntentItem.setValue({ kind: 'make_video', itemIds: [], at: Date.now() })
    renderApp(worker)
    await waitFor(() => expect(worker.runs.sent).toHaveLength(1))
    expect(worker.runs.sent[0]?.text).toBe(
      'Make a video from these 2 images.\nScript: The city wakes up.',
    )
  })

  it('takes files dropped anywhere on the panel', async () => {
    renderApp(createFakeWorker())
    const photo = new File([png()], 'dropped.png', { type: 'image/png' })
    fireEvent.drop(document.querySelector('.app')!, {
      dataTransfer: { files: [photo], types: ['Files'] },
    })
    await waitFor(async () => expect(await stored()).toEqual(['dropped.png']))
    await tray().findByRole('listitem', { name: 'Image 1' })
  })
})
