import {
  computed,
  createModel,
  effect,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import type { ApiError, UploadResult } from '../../shared/api/index.ts'
import {
  DEFAULT_WORKER_UPLOAD_LIMIT_BYTES,
  mediaFormatOf,
  mediaKindOf,
  MIME_TO_FORMAT,
} from '../../shared/media.ts'
import {
  ApiRequestError,
  clientError,
  prepareUploadFiles,
  type UploadFile,
  type WorkerClient,
} from '../utils/api/index.ts'
import type { MessageKey } from '../utils/i18n.ts'
import type { PendingIntent, TrayItem } from '../utils/storage.ts'
import type { NewTrayImage } from '../utils/tray.ts'
import type { ImageUpload } from '../utils/uploaded-images.ts'
import { apiErrorOf } from './errors.ts'
import type { ProjectName } from './ProjectsModel.ts'

export interface TrayDeps {
  tray: {
    get(): Promise<TrayItem[]>
    watch(cb: (items: TrayItem[]) => void): () => void
    remove(id: string): Promise<void>
    move(id: string, toIndex: number): Promise<void>
    clear(): Promise<void>
    addImages(images: readonly NewTrayImage[]): Promise<string[]>
    /** The unfinished upload in parts of a tray item id or disk file key, kept across closes. */
    getUploadId(key: string): Promise<string | undefined>
    setUploadId(key: string, uploadId: string | undefined): Promise<void>
  }
  /** Bytes of an image read locally (blob:, data:, cookie-protected), by its blobKey. */
  readBlob(blobKey: string): Promise<Blob | undefined>
  api: Pick<WorkerClient, 'uploadUrls' | 'uploadFiles' | 'uploadLargeFile'>
  /** Files over this go in parts (the worker's single-request limit); default 100 MB. */
  largeUploadBytes?: number
  /** The project to upload to, named after what is sent (see ProjectsModel.ensureSession). */
  ensureSession(named?: ProjectName): Promise<string>
  /** Sends the first chat message of the project. */
  sendChat(text: string): Promise<void>
  /** The "make video" a context menu left for the UI. */
  pendingIntent: {
    get(): Promise<PendingIntent | null>
    watch(cb: (intent: PendingIntent | null) => void): () => void
    clear(): Promise<void>
  }
  t: (key: MessageKey, subs?: ReadonlyArray<string | number>) => string
  now?: () => number
  /**
   * Keeps which backend URL a locally read image became, with its bytes, so the preview plays it
   * from this device after the item leaves the tray (the draft names the backend's URL).
   */
  rememberUpload?(upload: ImageUpload): Promise<unknown>
}

/** A failed upload step: the item (undefined: the whole step) and why. */
export interface TrayFailure {
  itemId?: string
  error: ApiError
  /** A big upload was left half done: trying again continues it. */
  resumable?: boolean
}

/** A file the user dropped that cannot be sent, and why. */
export interface FileProblem {
  name: string
  error: ApiError
}

export interface TrayModel {
  items: ReadonlySignal<readonly TrayItem[]>
  fileProblems: ReadonlySignal<readonly FileProblem[]>
  /** 0-1 while "make video" uploads, else null. */
  progress: ReadonlySignal<number | null>
  /** The item whose upload failed (undefined: the whole step), and why. */
  failure: ReadonlySignal<TrayFailure | null>
  busy: ReadonlySignal<boolean>
  /** Counts requests to open the file picker ("upload" typed in the chat). */
  pickRequests: ReadonlySignal<number>
  requestPick(): void
  /** Bytes of a locally read image, for its thumbnail. */
  readBlob(blobKey: string): Promise<Blob | undefined>
  move(id: string, toIndex: number): Promise<void>
  moveBy(id: string, delta: -1 | 1): Promise<void>
  remove(id: string): Promise<void>
  clear(): Promise<void>
  /** Files from disk: images join the tray, video/audio go to the project; bad ones are listed. */
  addFiles(files: readonly File[]): Promise<void>
  /** Uploads the tray (or the given items) to the project and starts the chat with them. */
  makeVideo(itemIds?: readonly string[]): Promise<boolean>
  /** Tries the failed step again: the disk files not sent yet (resuming a big one), or the tray. */
  retry(): Promise<unknown>
  dismiss(): void
}

/** Pending intents older than this were left by a UI that never opened: ignore them. */
const INTENT_MAX_AGE_MS = 10 * 60_000

/** What a disk file's resumable upload is kept under: the same file dropped again finds it. */
export function diskFileKey(file: File): string {
  return `file:${file.name}:${file.size}:${file.lastModified}`
}

export const TrayModel: ModelConstructor<TrayModel, [TrayDeps]> = createModel((deps: TrayDeps) => {
  const now = deps.now ?? Date.now
  const items = signal<readonly TrayItem[]>([], { name: 'tray.items' })
  const fileProblems = signal<readonly FileProblem[]>([], { name: 'tray.fileProblems' })
  const progress = signal<number | null>(null, { name: 'tray.progress' })
  const failure = signal<TrayFailure | null>(null, {
    name: 'tray.failure',
  })
  const busy = computed(() => progress.value !== null)
  const pickRequests = signal(0, { name: 'tray.pickRequests' })
  const largeUploadBytes = deps.largeUploadBytes ?? DEFAULT_WORKER_UPLOAD_LIMIT_BYTES
  /** Disk files of a failed upload still to send, while the panel is open. */
  let unsentFiles: File[] = []

  /**
   * One file over the single-request limit, in parts. Its upload id is stored as soon as the
   * worker made it, so a try after a failure or a closed popup resumes it; an upload the worker
   * no longer knows is started over once.
   */
  async function uploadInParts(
    sessionId: string,
    file: UploadFile,
    key: string,
    onProgress: (loaded: number, total: number) => void,
  ): Promise<UploadResult> {
    const resumeUploadId = await deps.tray.getUploadId(key)
    let saved: Promise<void> = Promise.resolve()
    const send = (resume: string | undefined) =>
      deps.api.uploadLargeFile(sessionId, file, {
        onProgress,
        onCreated: (uploadId) => {
          if (uploadId !== resume) saved = deps.tray.setUploadId(key, uploadId)
        },
        ...(resume && { resumeUploadId: resume }),
      })
    let result: UploadResult
    try {
      result = await send(resumeUploadId)
    } catch (err) {
      await saved
      // Gone (expired, aborted) on the worker, or our check found it is of another file.
      const code = apiErrorOf(err).code
      const stale =
        code === 'not_found' ||
        (code === 'invalid_request' && err instanceof ApiRequestError && err.source === 'client')
      if (!resumeUploadId || !stale) throw err
      await deps.tray.setUploadId(key, undefined)
      result = await send(undefined)
    }
    await saved
    await deps.tray.setUploadId(key, undefined)
    return result
  }

  /** Small files in one request, bigger ones in parts (one at a time). */
  async function uploadOne(
    sessionId: string,
    file: UploadFile,
    key: string,
    onProgress: (loaded: number, total: number) => void,
  ): Promise<UploadResult> {
    if (file.blob.size > largeUploadBytes) return uploadInParts(sessionId, file, key, onProgress)
    return deps.api.uploadFiles(sessionId, [file], { onProgress })
  }

  effect(() => deps.tray.watch((list) => (items.value = list)))
  void deps.tray.get().then((list) => (items.value = list))

  async function pickUpIntent(intent: PendingIntent | null): Promise<void> {
    if (!intent || now() - intent.at > INTENT_MAX_AGE_MS || progress.peek() !== null) return
    await deps.pendingIntent.clear()
    await makeVideo(intent.itemIds)
  }
  effect(() => deps.pendingIntent.watch((intent) => void pickUpIntent(intent)))
  void deps.pendingIntent.get().then(pickUpIntent)

  /** Bytes of a locally read image as an upload file named after its position. */
  async function fileOf(
    item: Extract<TrayItem, { kind: 'image' }>,
    index: number,
  ): Promise<UploadFile> {
    const blob = item.blobKey ? await deps.readBlob(item.blobKey) : undefined
    if (!blob) throw clientError('not_found', 'The image bytes are gone.')
    const ext = MIME_TO_FORMAT[blob.type] ?? mediaFormatOf(item.src) ?? ''
    return { blob, name: `image-${index + 1}${ext ? `.${ext}` : ''}` }
  }

  async function makeVideo(itemIds?: readonly string[]): Promise<boolean> {
    if (progress.peek() !== null) return false
    failure.value = null
    progress.value = 0
    let current: string | undefined
    try {
      // From storage, not the signal: a menu's intent can arrive before the tray has loaded here.
      const chosen = (await deps.tray.get()).filter(
        (i) => !itemIds?.length || itemIds.includes(i.id),
      )
      const images = chosen.filter((i) => i.kind === 'image')
      const texts = chosen.filter((i) => i.kind === 'text')
      if (chosen.length === 0) return false
      const script = texts
        .map((x) => x.text.trim())
        .filter(Boolean)
        .join('\n\n')
      const article = texts.find((x) => x.title)
      const sessionId = await deps.ensureSession(projectName(images, texts, script, deps.t))
      for (const [index, img] of images.entries()) {
        current = img.id
        const base = index / images.length
        if (!img.blobKey && /^https?:/i.test(img.src)) {
          await deps.api.uploadUrls(sessionId, [img.src])
        } else {
          const file = await fileOf(img, index)
          const result = await uploadOne(sessionId, file, img.id, (loaded, total) => {
            if (total > 0) progress.value = base + loaded / total / images.length
          })
          // Before the item (and its bytes) leave the tray; a failure here costs only the
          // preview's local copy, never the upload.
          await deps
            .rememberUpload?.({
              sessionId,
              src: img.src,
              sentName: file.name,
              blob: file.blob,
              result,
            })
            .catch(() => undefined)
        }
        progress.value = (index + 1) / images.length
      }
      current = undefined
      const parts = [
        article?.title
          ? deps.t('ui_tray_prompt_article', [article.title, images.length])
          : images.length > 1
            ? deps.t('ui_tray_prompt_images', [images.length])
            : images.length === 1
              ? deps.t('ui_tray_prompt_image')
              : deps.t('ui_tray_prompt_text'),
        ...(script ? [deps.t('ui_tray_prompt_script', [script])] : []),
      ]
      await deps.sendChat(parts.join('\n'))
      for (const item of chosen) await deps.tray.remove(item.id)
      return true
    } catch (err) {
      const resumable =
        current !== undefined && (await deps.tray.getUploadId(current)) !== undefined
      failure.value = {
        ...(current && { itemId: current }),
        error: apiErrorOf(err),
        ...(resumable && { resumable }),
      }
      return false
    } finally {
      progress.value = null
    }
  }

  const model: TrayModel = {
    items,
    fileProblems,
    progress,
    failure,
    busy,
    pickRequests,
    requestPick() {
      pickRequests.value++
    },
    readBlob: (blobKey: string) => deps.readBlob(blobKey),
    move: (id: string, toIndex: number) => deps.tray.move(id, toIndex),
    async moveBy(id: string, delta: -1 | 1) {
      const from = items.peek().findIndex((i) => i.id === id)
      if (from < 0) return
      await deps.tray.move(id, from + delta)
    },
    remove: (id: string) => deps.tray.remove(id),
    clear: () => deps.tray.clear(),
    async addFiles(files: readonly File[]) {
      const problems: FileProblem[] = []
      const images: NewTrayImage[] = []
      const media: { file: UploadFile; key: string; source: File }[] = []
      for (const file of files) {
        try {
          // Format and the backend's per-file limit here; the worker's body limit is the upload's
          // own business (large files may go in parts).
          const [ok] = prepareUploadFiles(
            [{ blob: file, name: file.name }],
            Number.MAX_SAFE_INTEGER,
          )
          const format = ok && mediaFormatOf(ok.name)
          if (!ok || !format) continue
          if (mediaKindOf(format) === 'image') {
            images.push({
              src: `file:${file.name}:${file.size}:${file.lastModified}`,
              pageUrl: '',
              alt: file.name,
              mime: file.type,
              bytes: file,
            })
          } else media.push({ file: ok, key: diskFileKey(file), source: file })
        } catch (err) {
          problems.push({ name: file.name, error: apiErrorOf(err) })
        }
      }
      fileProblems.value = problems
      failure.value = null
      unsentFiles = []
      if (images.length) await deps.tray.addImages(images)
      if (!media.length) return
      progress.value = 0
      let unsent = media
      try {
        const sessionId = await deps.ensureSession()
        const small = media.filter((m) => m.file.blob.size <= largeUploadBytes)
        const large = media.filter((m) => m.file.blob.size > largeUploadBytes)
        // One progress bar over all bytes: the small files' request, then each big file in turn.
        const total = media.reduce((sum, m) => sum + m.file.blob.size, 0)
        let done = 0
        const track = (size: number) => (loaded: number, of: number) => {
          if (total > 0 && of > 0) progress.value = (done + (loaded / of) * size) / total
        }
        // Small files together, in requests that each stay under the worker's limit.
        for (const batch of batchesUnder(small, largeUploadBytes)) {
          const size = batch.reduce((sum, m) => sum + m.file.blob.size, 0)
          await deps.api.uploadFiles(
            sessionId,
            batch.map((m) => m.file),
            { onProgress: track(size) },
          )
          done += size
          unsent = unsent.filter((m) => !batch.includes(m))
        }
        unsent = large
        for (const { file, key } of large) {
          await uploadInParts(sessionId, file, key, track(file.blob.size))
          done += file.blob.size
          unsent = unsent.slice(1)
        }
      } catch (err) {
        unsentFiles = unsent.map((m) => m.source)
        const resumable = unsent[0] && (await deps.tray.getUploadId(unsent[0].key)) !== undefined
        failure.value = { error: apiErrorOf(err), ...(resumable && { resumable }) }
      } finally {
        progress.value = null
      }
    },
    makeVideo,
    retry() {
      const files = unsentFiles
      unsentFiles = []
      return files.length ? model.addFiles(files) : makeVideo()
    },
    dismiss() {
      unsentFiles = []
      failure.value = null
      fileProblems.value = []
    },
  }
  return model
})

/**
 * What a project made from the tray is called: the article's title, else the script's first
 * words, else where its images came from ("4 images from example.com").
 */
function projectName(
  images: readonly TrayItem[],
  texts: readonly Extract<TrayItem, { kind: 'text' }>[],
  script: string,
  t: TrayDeps['t'],
): ProjectName | undefined {
  const article = texts.find((x) => x.title)
  if (article?.title) return { title: article.title, sourceUrl: article.pageUrl, fresh: true }
  const pageUrl = texts[0]?.pageUrl || images[0]?.pageUrl || undefined
  if (script) return { title: script, ...(pageUrl && { sourceUrl: pageUrl }) }
  let host = ''
  try {
    host = pageUrl ? new URL(pageUrl).hostname : ''
  } catch {
    // Not a URL (a file from disk): no host to name the project after.
  }
  if (!host) return undefined
  return { title: t('ui_project_images_from', [images.length, host]), sourceUrl: pageUrl }
}

/** Consecutive groups whose sizes add up to at most `limit` bytes each. */
function batchesUnder<T extends { file: UploadFile }>(list: readonly T[], limit: number): T[][] {
  const batches: T[][] = []
  let size = Infinity
  for (const item of list) {
    if (size + item.file.blob.size > limit) {
      batches.push([])
      size = 0
    }
    batches.at(-1)!.push(item)
    size += item.file.blob.size
  }
  return batches
}
