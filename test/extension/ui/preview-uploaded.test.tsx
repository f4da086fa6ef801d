import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { UploadResult } from '../../../shared/api/index.ts'
import { clearBlobs, getBlob } from '../../../extension/utils/blob-store.ts'
import { getTrayItems, addTrayImages } from '../../../extension/utils/tray.ts'
import {
  MAX_UPLOADED_IMAGES,
  rememberUploadedImage,
  uploadedImageBlob,
  uploadedImagesItem,
} from '../../../extension/utils/uploaded-images.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

beforeEach(async () => {
  fakeBrowser.reset()
  await clearBlobs()
})
afterEach(() => cleanup())

const page = 'https://news.test/story'
const bytes = (...b: number[]) => new Blob([new Uint8Array(b)], { type: 'image/png' })
const answer = (...files: Array<{ filename: string; url?: string }>) =>
  UploadResult.parse({ files, applied: true })
const BACKEND = 'https://cdn.backend.test/u/7f3a/chart.png'

async function blobBytes(blob: Blob | undefined): Promise<number[] | undefined> {
  return blob && [...new Uint8Array(await blob.arrayBuffer())]
}

describe('tray images the preview plays from this device after their upload', () => {
  it('plays a blob: image the draft names by the backend’s URL, once it has left the tray', async () => {
    await addTrayImages([
      { src: 'https://cdn.test/a.jpg', pageUrl: page, alt: 'Harbour' },
      { src: 'blob:https://news.test/123', pageUrl: page, alt: 'Chart', bytes: bytes(1, 2, 3) },
    ])
    const worker = createFakeWorker()
    // The name it was sent under (its place in the tray), at a URL of the backend's.
    worker.override('uploadFiles', async () => answer({ filename: 'image-2.png', url: BACKEND }))
    const app = renderApp(worker)
    const local = app.state.preview.deps.localBlob
    // While in the tray: by its own source.
    await waitFor(async () =>
      expect(await blobBytes(await local('blob:https://news.test/123'))).toEqual([1, 2, 3]),
    )
    expect(await local(BACKEND)).toBeUndefined()

    const tray = within(screen.getByRole('region', { name: /^Tray/ }))
    fireEvent.click(await tray.findByRole('button', { name: 'Make video from these images' }))
    await waitFor(async () => expect(await getTrayItems()).toEqual([]))

    // The tray's copy is gone with the item; the upload's is kept under the backend's URL.
    expect(await local('blob:https://news.test/123')).toBeUndefined()
    expect(await blobBytes(await local(BACKEND))).toEqual([1, 2, 3])
    // The same picture signed again (another query) is the same file.
    expect(await blobBytes(await local(`${BACKEND}?sig=abc`))).toEqual([1, 2, 3])
    expect(await local('https://cdn.backend.test/u/7f3a/other.png')).toBeUndefined()
    const [record] = (await uploadedImagesItem.getValue()).images
    expect(record).toMatchObject({
      url: BACKEND,
      filename: 'image-2.png',
      sessionId: SESSION,
      src: 'blob:https://news.test/123',
    })
    // An image the backend fetched by its URL has no bytes here: nothing is recorded for it.
    expect((await uploadedImagesItem.getValue()).images).toHaveLength(1)
    app.close()
  })

  it('records nothing when the answer names no URL for the file, and the upload still counts', async () => {
    await addTrayImages([{ src: 'data:image/png;base64,AQID', pageUrl: page, bytes: bytes(9) }])
    const worker = createFakeWorker()
    worker.override('uploadFiles', async () => answer({ filename: 'image-1.png' }))
    const app = renderApp(worker)
    const tray = within(screen.getByRole('region', { name: /^Tray/ }))
    fireEvent.click(await tray.findByRole('button', { name: /^Make video/ }))
    await waitFor(() => expect(worker.runs.sent).toHaveLength(1))
    await waitFor(async () => expect(await getTrayItems()).toEqual([]))
    expect((await uploadedImagesItem.getValue()).images).toEqual([])
    app.close()
  })
})

describe('rememberUploadedImage', () => {
  const upload = (n: number, url = `https://cdn.backend.test/u/${n}.png`) => ({
    sessionId: SESSION,
    src: `blob:https://news.test/${n}`,
    sentName: 'image-1.png',
    blob: bytes(n % 256),
    result: answer({ filename: 'image-1.png', url }),
  })

  it('matches the sent name among several files, or takes the only one; else records nothing', async () => {
    const several = {
      ...upload(1),
      result: answer(
        { filename: 'image-2.png', url: 'https://cdn.backend.test/u/two.png' },
        { filename: 'image-1.png', url: 'https://cdn.backend.test/u/one.png' },
      ),
    }
    expect((await rememberUploadedImage(several))?.url).toBe('https://cdn.backend.test/u/one.png')
    const renamed = { ...upload(2), result: answer({ filename: 'x.png', url: BACKEND }) }
    expect((await rememberUploadedImage(renamed))?.url).toBe(BACKEND)
    const unclear = {
      ...upload(3),
      result: answer(
        { filename: 'a.png', url: 'https://cdn.backend.test/u/a.png' },
        { filename: 'b.png', url: 'https://cdn.backend.test/u/b.png' },
      ),
    }
    expect(await rememberUploadedImage(unclear)).toBeUndefined()
  })

  it('matches a query-only difference only for a picture’s path, never for /file?id=', async () => {
    await rememberUploadedImage(upload(1, 'https://cdn.backend.test/file?id=1'))
    expect(await uploadedImageBlob('https://cdn.backend.test/file?id=1')).toBeDefined()
    expect(await uploadedImageBlob('https://cdn.backend.test/file?id=2')).toBeUndefined()
  })

  it(`keeps the newest ${MAX_UPLOADED_IMAGES} and deletes the bytes of older ones`, async () => {
    const first = await rememberUploadedImage(upload(0), 1)
    for (let n = 1; n <= MAX_UPLOADED_IMAGES; n++) await rememberUploadedImage(upload(n), 1 + n)
    const { images } = await uploadedImagesItem.getValue()
    expect(images).toHaveLength(MAX_UPLOADED_IMAGES)
    expect(images[0]?.url).toBe(`https://cdn.backend.test/u/${MAX_UPLOADED_IMAGES}.png`)
    expect(images.some((i) => i.url === first?.url)).toBe(false)
    expect(await getBlob(first!.blobKey)).toBeUndefined()
    expect(await uploadedImageBlob(first!.url)).toBeUndefined()
    // The same URL uploaded again replaces its record and its bytes.
    const before = images.find((i) => i.url.endsWith('/5.png'))!
    await rememberUploadedImage(upload(5))
    expect(await getBlob(before.blobKey)).toBeUndefined()
    expect(
      (await uploadedImagesItem.getValue()).images.filter((i) => i.url === before.url),
    ).toHaveLength(1)
  })
})
