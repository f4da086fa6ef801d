import { beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { clearBlobs, getBlob } from '../../../extension/utils/blob-store.ts'
import { settingsItem, trayItem } from '../../../extension/utils/storage.ts'
import {
  addTrayImages,
  addTrayText,
  clearTray,
  getTrayItems,
  moveTrayItem,
  removeTrayItem,
  watchTray,
} from '../../../extension/utils/tray.ts'

beforeEach(async () => {
  fakeBrowser.reset()
  await clearBlobs()
})

const page = 'https://news.test/article'

describe('tray', () => {
  it('keeps images and texts in order, without adding the same image twice', async () => {
    const [a] = await addTrayImages([{ src: 'https://cdn.test/a.jpg', pageUrl: page }])
    await addTrayText({ text: 'A script', pageUrl: page })
    const again = await addTrayImages([
      { src: 'https://cdn.test/b.jpg', pageUrl: page, width: 800 },
      { src: 'https://cdn.test/a.jpg', pageUrl: page },
    ])
    const items = await getTrayItems()
    expect(items.map((i) => (i.kind === 'image' ? i.src : i.text))).toEqual([
      'https://cdn.test/a.jpg',
      'A script',
      'https://cdn.test/b.jpg',
    ])
    expect(again[1]).toBe(a)
  })

  it('stores bytes of locally read images in IndexedDB and drops them with the item', async () => {
    const bytes = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' })
    const [id] = await addTrayImages([{ src: 'blob:https://news.test/123', pageUrl: page, bytes }])
    const [item] = await getTrayItems()
    expect(item).toMatchObject({ kind: 'image', blobKey: id, mime: 'image/png' })
    expect((await getBlob(id!))?.size).toBe(3)
    await removeTrayItem(id!)
    expect(await getTrayItems()).toEqual([])
    expect(await getBlob(id!)).toBeUndefined()
  })

  it('reorders and clears', async () => {
    const ids = await addTrayImages(
      ['a', 'b', 'c'].map((n) => ({ src: `https://cdn.test/${n}.png`, pageUrl: page })),
    )
    await moveTrayItem(ids[2]!, 0)
    expect((await getTrayItems()).map((i) => i.id)).toEqual([ids[2], ids[0], ids[1]])
    await moveTrayItem(ids[2]!, 99)
    expect((await getTrayItems()).map((i) => i.id)).toEqual([ids[0], ids[1], ids[2]])
    await clearTray()
    expect(await getTrayItems()).toEqual([])
  })

  it('tells watchers about changes', async () => {
    const seen: number[] = []
    const off = watchTray((items) => seen.push(items.length))
    await addTrayText({ text: 'x', pageUrl: page })
    off()
    expect(seen).toEqual([1])
  })
})

describe('storage items', () => {
  it('read a value that no longer fits its schema as the fallback', async () => {
    await fakeBrowser.storage.local.set({ tray: { items: [{ kind: 'video', id: 1 }] } })
    expect(await trayItem.getValue()).toEqual({ items: [] })
  })

  it('refuse to write an invalid value', async () => {
    await expect(
      settingsItem.setValue({ uiLanguage: 'auto', workerUrl: 'ftp://x' }),
    ).rejects.toThrow()
    expect(await settingsItem.getValue()).toEqual({ uiLanguage: 'auto' })
  })
})
