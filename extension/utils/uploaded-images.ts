import { z } from 'zod/mini'
import type { UploadResult } from '../../shared/api/index.ts'
import { deleteBlob, getBlob, putBlob } from './blob-store.ts'
import { defineParsedItem } from './parsed-item.ts'

/**
 * A tray image read locally (blob:, data:, cookie-protected) after its upload: the backend's URL
 * of the file, which the draft names, and a copy of its bytes (IndexedDB, under `blobKey`), so
 * the preview plays it from this device once the tray item is gone. Kept out of
 * storage-schemas.ts: this module loads after the popup's first paint (issue 14's budget).
 */
export const UploadedImage = z.object({
  /** The backend's URL of the uploaded file (`UploadResult.files[].url`). */
  url: z.string(),
  filename: z.optional(z.string()),
  sessionId: z.string(),
  /** The tray item's own source (its blob:/data: URL or page URL). */
  src: z.string(),
  blobKey: z.string(),
  at: z.number(),
})
export type UploadedImage = z.infer<typeof UploadedImage>

export const UploadedImages = z.object({ images: z.array(UploadedImage) })
export type UploadedImages = z.infer<typeof UploadedImages>

/**
 * The newest uploads kept; older ones (and their bytes) go. A preview plays the projects a
 * person works on now; the worker's media route still serves older ones.
 */
export const MAX_UPLOADED_IMAGES = 60

/** Tray images read locally that were uploaded: which backend URL each became. */
export const uploadedImagesItem = defineParsedItem('local:uploaded-images', UploadedImages, {
  images: [],
})

/** What one upload of a tray image answered, with the bytes that were sent. */
export interface ImageUpload {
  sessionId: string
  /** The tray item's source. */
  src: string
  /** The name the file was sent under. */
  sentName: string
  blob: Blob
  result: UploadResult
}

/**
 * The backend's file for the one sent: the one of that name, else the only one answered.
 * Undefined when the answer does not say (no URL, or several files and none of that name).
 */
export function uploadedFileOf(sentName: string, result: UploadResult) {
  const files = result.files.filter((f) => f.url)
  return files.find((f) => f.filename === sentName) ?? (files.length === 1 ? files[0] : undefined)
}

/**
 * Remembers which backend URL a locally read tray image became, with a copy of its bytes under a
 * key of its own (the tray drops its copy when the item leaves the tray after "make video").
 * Returns the record, or undefined when the answer names no URL for it.
 */
export async function rememberUploadedImage(
  upload: ImageUpload,
  now = Date.now(),
): Promise<UploadedImage | undefined> {
  const file = uploadedFileOf(upload.sentName, upload.result)
  if (!file?.url) return undefined
  const blobKey = `up_${crypto.randomUUID().replaceAll('-', '')}`
  await putBlob(blobKey, upload.blob)
  const record: UploadedImage = {
    url: file.url,
    ...(file.filename && { filename: file.filename }),
    sessionId: upload.sessionId,
    src: upload.src,
    blobKey,
    at: now,
  }
  let dropped: UploadedImage[] = []
  await uploadedImagesItem.update(({ images }) => {
    const kept = [record, ...images.filter((i) => i.url !== record.url)]
    dropped = [...images.filter((i) => i.url === record.url), ...kept.slice(MAX_UPLOADED_IMAGES)]
    return { images: kept.slice(0, MAX_UPLOADED_IMAGES) }
  })
  await Promise.all(dropped.map((i) => deleteBlob(i.blobKey).catch(() => {})))
  return record
}

/** A path that names a picture file itself, so its query is only a signature or a cache key. */
const PICTURE_PATH = /\/[^/]+\.(jpe?g|png|gif|webp|avif|bmp)$/i

/**
 * Whether two URLs name the same file: equal, or the same picture path on the same host with
 * another query (a signed link signed again). A path like `/file?id=1` must match exactly.
 */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true
  try {
    const x = new URL(a)
    const y = new URL(b)
    return x.origin === y.origin && x.pathname === y.pathname && PICTURE_PATH.test(x.pathname)
  } catch {
    return false
  }
}

/** The bytes this device uploaded as `url` (the backend's URL of the file), if it kept them. */
export async function uploadedImageBlob(url: string): Promise<Blob | undefined> {
  const { images } = await uploadedImagesItem.getValue()
  const found = images.find((i) => i.url === url) ?? images.find((i) => sameFile(i.url, url))
  return found ? getBlob(found.blobKey) : undefined
}
