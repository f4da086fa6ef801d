import { deleteBlob, putBlob } from './blob-store.ts'
import { trayItem, type TrayImage, type TrayItem, type TrayText } from './storage.ts'

/** The tray: an ordered list of collected images and texts in `storage.local`. */

export type NewTrayImage = Omit<TrayImage, 'id' | 'kind' | 'blobKey' | 'alt'> & {
  alt?: string
  bytes?: Blob
}
export type NewTrayText = Omit<TrayText, 'id' | 'kind'>

export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`
}

/**
 * Adds images (with their bytes when read locally) at the end of the tray; an image already in
 * the tray (same source URL) is not added twice. Returns the ids of the items now standing for
 * the given images, in order, including ones that were already there.
 */
export async function addTrayImages(images: readonly NewTrayImage[]): Promise<string[]> {
  const ids: string[] = []
  const fresh: TrayImage[] = []
  const current = (await trayItem.getValue()).items
  for (const { bytes, ...img } of images) {
    const existing = [...current, ...fresh].find((i) => i.kind === 'image' && i.src === img.src)
    if (existing) {
      ids.push(existing.id)
      continue
    }
    const id = newId('img')
    let blobKey: string | undefined
    if (bytes) {
      blobKey = id
      await putBlob(blobKey, bytes)
    }
    fresh.push({
      ...img,
      kind: 'image',
      id,
      alt: img.alt ?? '',
      blobKey,
      mime: img.mime ?? bytes?.type,
    })
    ids.push(id)
  }
  if (fresh.length) await trayItem.update((t) => ({ ...t, items: [...t.items, ...fresh] }))
  return ids
}

export async function addTrayText(text: NewTrayText): Promise<string> {
  const item: TrayText = {
    kind: 'text',
    id: newId('txt'),
    text: text.text,
    pageUrl: text.pageUrl,
    ...(text.title && { title: text.title }),
  }
  await trayItem.update((t) => ({ ...t, items: [...t.items, item] }))
  return item.id
}

export async function getTrayItems(): Promise<TrayItem[]> {
  return (await trayItem.getValue()).items
}

export async function removeTrayItem(id: string): Promise<void> {
  let removed: TrayItem | undefined
  await trayItem.update((t) => {
    removed = t.items.find((i) => i.id === id)
    const { [id]: _upload, ...uploads } = t.uploads ?? {}
    return { ...t, items: t.items.filter((i) => i.id !== id), uploads }
  })
  if (removed?.kind === 'image' && removed.blobKey)
    await deleteBlob(removed.blobKey).catch(() => {})
}

/** Moves an item to `toIndex` (clamped), keeping the others in order. */
export async function moveTrayItem(id: string, toIndex: number): Promise<void> {
  await trayItem.update((t) => {
    const from = t.items.findIndex((i) => i.id === id)
    if (from < 0) return t
    const items = [...t.items]
    const [moved] = items.splice(from, 1)
    items.splice(Math.max(0, Math.min(toIndex, items.length)), 0, moved!)
    return { ...t, items }
  })
}

export async function clearTray(): Promise<void> {
  const { items } = await trayItem.getValue()
  await trayItem.setValue({ items: [] })
  await Promise.all(
    items.map((i) =>
      i.kind === 'image' && i.blobKey ? deleteBlob(i.blobKey).catch(() => {}) : undefined,
    ),
  )
}

/** The id of an unfinished upload in parts of `key` (tray item id or disk file key), if any. */
export async function getTrayUploadId(key: string): Promise<string | undefined> {
  return (await trayItem.getValue()).uploads?.[key]
}

/** Remembers (or, with undefined, forgets) the upload in parts of `key`. */
export async function setTrayUploadId(key: string, uploadId: string | undefined): Promise<void> {
  await trayItem.update((t) => {
    const { [key]: _old, ...rest } = t.uploads ?? {}
    return { ...t, uploads: uploadId ? { ...rest, [key]: uploadId } : rest }
  })
}

export function watchTray(cb: (items: TrayItem[]) => void): () => void {
  return trayItem.watch((t) => cb(t.items))
}
