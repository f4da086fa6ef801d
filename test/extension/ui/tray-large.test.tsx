import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { UploadResult } from '../../../shared/api/index.ts'
import { BACKEND_MAX_FILE_BYTES } from '../../../shared/media.ts'
import { TrayModel } from '../../../extension/models/TrayModel.ts'
import type { LargeUploadOptions, UploadFile } from '../../../extension/utils/api/index.ts'
import { clearBlobs, getBlob } from '../../../extension/utils/blob-store.ts'
import { t } from '../../../extension/utils/i18n.ts'
import { trayItem } from '../../../extension/utils/storage.ts'
import {
  addTrayImages,
  getTrayUploadId,
  getTrayItems,
  setTrayUploadId,
} from '../../../extension/utils/tray.ts'
import { pendingIntent, trayStore } from '../../../extension/app/store-deps.ts'
import { createFakeWorker, renderApp, SESSION, type FakeWorker } from './harness.tsx'
import {
  ApiRequestError,
  unreachable as unreachableError,
} from '../../../extension/utils/api/index.ts'

beforeEach(async () => {
  fakeBrowser.reset()
  await clearBlobs()
})
afterEach(() => cleanup())

const MB = 1024 * 1024
const UPLOAD_ID = `lu_${'a'.repeat(32)}`
const OTHER_ID = `lu_${'b'.repeat(32)}`

/** A disk file that reports `size` bytes without holding them (the fakes never read them). */
function diskFile(name: string, size: number, type = 'video/mp4'): File {
  const file = new File([new Uint8Array(8)], name, { type, lastModified: 1_700_000_000_000 })
  Object.defineProperty(file, 'size', { value: size })
  return file
}

function drop(files: File[]) {
  const input = document.querySelector('input[type=file]') as HTMLInputElement
  Object.defineProperty(input, 'files', { value: files, configurable: true })
  fireEvent.change(input)
}

const tray = () => within(screen.getByRole('region', { name: /^Tray/ }))
const uploadCalls = (worker: FakeWorker) =>
  worker.calls.filter((c) => c.method.startsWith('upload')).map((c) => c.method)
const largeOptions = (worker: FakeWorker) =>
  worker.callsOf('uploadLargeFile').map((args) => args[2] as LargeUploadOptions)

/** A gate the fake upload waits on, so the test can look at the panel mid-upload. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((r) => (open = r))
  return { opened, open }
}

const unreachable = () => unreachableError(new Error('part upload connection failed'))

describe('tray: big files from disk go in parts', () => {
  it('a video over the single-request limit goes through uploadLargeFile with the progress bar', async () => {
    const worker = createFakeWorker()
    const halfway = gate()
    const release = gate()
    worker.override('uploadLargeFile', async (_sessionId, _file, options) => {
      options?.onCreated?.(UPLOAD_ID)
      options?.onProgress?.(75 * MB, 150 * MB)
      halfway.open()
      await release.opened
      options?.onProgress?.(150 * MB, 150 * MB)
      return UploadResult.parse({ files: [], applied: true })
    })
    renderApp(worker)
    const video = diskFile('holiday.mp4', 150 * MB)
    drop([video])
    await halfway.opened
    const bar = await tray().findByRole('progressbar', { name: 'Uploading' })
    await waitFor(() => expect(Number(bar.getAttribute('value'))).toBeCloseTo(0.5))
    // Kept while it runs: a closed popup or a dropped network can resume it.
    await waitFor(async () =>
      expect(await getTrayUploadId('file:holiday.mp4:157286400:1700000000000')).toBe(UPLOAD_ID),
    )
    release.open()
    await waitFor(() => expect(tray().queryByRole('progressbar')).toBeNull())

    expect(uploadCalls(worker)).toEqual(['uploadLargeFile'])
    const [sessionId, file] = worker.callsOf('uploadLargeFile')[0]! as [string, UploadFile]
    expect(sessionId).toBe(SESSION)
    expect(file.name).toBe('holiday.mp4')
    expect(file.blob.size).toBe(150 * MB)
    expect(largeOptions(worker)[0]?.resumeUploadId).toBeUndefined()
    // Done: nothing left to resume.
    expect((await trayItem.getValue()).uploads).toEqual({})
    expect(tray().queryByRole('alert')).toBeNull()
  })

  it('an interrupted upload keeps its id; after the popup reopens the same file resumes it', async () => {
    const worker = createFakeWorker()
    worker.override('uploadLargeFile', async (_sessionId, _file, options) => {
      options?.onCreated?.(UPLOAD_ID)
      options?.onProgress?.(40 * MB, 150 * MB)
      throw unreachable()
    })
    const first = renderApp(worker)
    drop([diskFile('holiday.mp4', 150 * MB)])
    const alert = await tray().findByRole('alert')
    expect(alert.textContent).toContain('not reachable right now')
    expect(tray().getByText('Try again to continue the upload where it stopped.')).toBeTruthy()
    expect((await trayItem.getValue()).uploads).toEqual({
      'file:holiday.mp4:157286400:1700000000000': UPLOAD_ID,
    })
    first.close()
    cleanup()

    worker.override('uploadLargeFile', async (_sessionId, _file, options) => {
      options?.onCreated?.(options.resumeUploadId ?? OTHER_ID)
      options?.onProgress?.(150 * MB, 150 * MB)
      return UploadResult.parse({ files: [], applied: true })
    })
    renderApp(worker)
    drop([diskFile('holiday.mp4', 150 * MB)])
    await waitFor(() => expect(worker.callsOf('uploadLargeFile')).toHaveLength(2))
    expect(largeOptions(worker)[1]?.resumeUploadId).toBe(UPLOAD_ID)
    await waitFor(async () => expect((await trayItem.getValue()).uploads).toEqual({}))
    expect(uploadCalls(worker)).toEqual(['uploadLargeFile', 'uploadLargeFile'])
  })

  it('Retry on the notice resumes the failed big file while the panel stays open', async () => {
    const worker = createFakeWorker()
    let fail = true
    worker.override('uploadLargeFile', async (_sessionId, _file, options) => {
      if (!options?.resumeUploadId) options?.onCreated?.(UPLOAD_ID)
      if (fail) throw unreachable()
      return UploadResult.parse({ files: [], applied: true })
    })
    renderApp(worker)
    drop([diskFile('small.mp4', 2 * MB), diskFile('holiday.mp4', 150 * MB)])
    await tray().findByRole('alert')
    expect(uploadCalls(worker)).toEqual(['uploadFiles', 'uploadLargeFile'])
    fail = false
    fireEvent.click(tray().getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(tray().queryByRole('alert')).toBeNull())
    await waitFor(() => expect(worker.callsOf('uploadLargeFile')).toHaveLength(2))
    // Only the file that failed goes again, resuming its upload.
    expect(uploadCalls(worker)).toEqual(['uploadFiles', 'uploadLargeFile', 'uploadLargeFile'])
    expect(largeOptions(worker)[1]?.resumeUploadId).toBe(UPLOAD_ID)
    await waitFor(async () => expect((await trayItem.getValue()).uploads).toEqual({}))
  })

  it('an upload the worker no longer knows is started over once', async () => {
    await setTrayUploadId('file:holiday.mp4:157286400:1700000000000', UPLOAD_ID)
    const worker = createFakeWorker()
    worker.override('uploadLargeFile', async (_sessionId, _file, options) => {
      if (options?.resumeUploadId)
        throw new ApiRequestError({ code: 'not_found', message: 'Not found.' }, 404)
      options?.onCreated?.(OTHER_ID)
      return UploadResult.parse({ files: [], applied: true })
    })
    renderApp(worker)
    drop([diskFile('holiday.mp4', 150 * MB)])
    await waitFor(() => expect(worker.callsOf('uploadLargeFile')).toHaveLength(2))
    expect(largeOptions(worker).map((o) => o.resumeUploadId)).toEqual([UPLOAD_ID, undefined])
    await waitFor(async () => expect((await trayItem.getValue()).uploads).toEqual({}))
    expect(tray().queryByRole('alert')).toBeNull()
  })

  it('a small video still goes in one uploadFiles request', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    drop([diskFile('clip.mp4', 3 * MB)])
    await waitFor(() => expect(worker.callsOf('uploadFiles')).toHaveLength(1))
    expect(uploadCalls(worker)).toEqual(['uploadFiles'])
    const [, files] = worker.callsOf('uploadFiles')[0]! as [string, UploadFile[]]
    expect(files.map((f) => f.name)).toEqual(['clip.mp4'])
  })

  it('small files together over the limit go in several requests, each under it', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    drop([diskFile('a.mp4', 60 * MB), diskFile('b.mp4', 60 * MB), diskFile('c.mp3', 30 * MB)])
    await waitFor(() => expect(worker.callsOf('uploadFiles')).toHaveLength(2))
    const batches = worker
      .callsOf('uploadFiles')
      .map(([, files]) => (files as UploadFile[]).map((f) => f.name))
    expect(batches).toEqual([['a.mp4'], ['b.mp4', 'c.mp3']])
    expect(uploadCalls(worker)).toEqual(['uploadFiles', 'uploadFiles'])
  })

  it('a file over the backend limit is refused before any call', async () => {
    const worker = createFakeWorker()
    renderApp(worker)
    drop([diskFile('film.mp4', BACKEND_MAX_FILE_BYTES + 1)])
    const alert = await tray().findByRole('alert')
    expect(alert.textContent).toContain('film.mp4')
    expect(alert.textContent).toContain('Compress or trim the file, then try again.')
    expect(uploadCalls(worker)).toEqual([])
    expect((await trayItem.getValue()).uploads).toBeUndefined()
  })
})

describe('tray model: a big tray image resumes by its item id', () => {
  function model(worker: FakeWorker, sent: string[]) {
    return new TrayModel({
      tray: trayStore,
      readBlob: getBlob,
      api: worker.api,
      // Tiny, so an image with real bytes in IndexedDB counts as big.
      largeUploadBytes: 4,
      ensureSession: async () => SESSION,
      sendChat: async (text) => void sent.push(text),
      pendingIntent,
      t,
    })
  }

  it('keeps the tray and the id after a failure; the next "make video" resumes, then clears it', async () => {
    const bytes = new Blob([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], { type: 'image/png' })
    const [imageId] = await addTrayImages([
      { src: 'blob:https://news.test/1', pageUrl: 'https://news.test/', alt: 'Chart', bytes },
    ])
    const worker = createFakeWorker()
    const progress: number[] = []
    worker.override('uploadLargeFile', async (_sessionId, _file, options) => {
      options?.onCreated?.(options.resumeUploadId ?? UPLOAD_ID)
      options?.onProgress?.(3, 7)
      if (!options?.resumeUploadId) throw unreachable()
      options.onProgress?.(7, 7)
      return UploadResult.parse({ files: [], applied: true })
    })
    const sent: string[] = []
    const tray = model(worker, sent)
    const stop = tray.progress.subscribe((p) => p !== null && progress.push(p))

    expect(await tray.makeVideo()).toBe(false)
    expect(tray.failure.value).toMatchObject({
      itemId: imageId,
      error: { code: 'upstream_unavailable' },
      resumable: true,
    })
    expect((await getTrayItems()).map((i) => i.id)).toEqual([imageId])
    expect(await getTrayUploadId(imageId!)).toBe(UPLOAD_ID)
    expect(uploadCalls(worker)).toEqual(['uploadLargeFile'])

    expect(await tray.makeVideo()).toBe(true)
    expect(largeOptions(worker)[1]?.resumeUploadId).toBe(UPLOAD_ID)
    const [, file] = worker.callsOf('uploadLargeFile')[1]! as [string, UploadFile]
    expect(file).toMatchObject({ name: 'image-1.png' })
    expect(sent).toEqual(['Make a video from this image.'])
    expect(await getTrayItems()).toEqual([])
    expect((await trayItem.getValue()).uploads).toEqual({})
    expect(progress).toContain(3 / 7)
    expect(uploadCalls(worker)).toEqual(['uploadLargeFile', 'uploadLargeFile'])
    stop()
    tray[Symbol.dispose]()
  })
})
