import type { FetchMedia } from '../preview/media-library.ts'
import type {
  RendererCommand,
  RendererEvent,
  RendererReply,
  RendererStart,
} from './render-messages.ts'
import { ENCODE_SUPPORT_MESSAGE, probeEncodeSupport } from './encode-support.ts'
import { createOutputFile, readOutputFile, removeOutputFile } from './output-file.ts'
import { frameSizedDecoder, shrunkSize } from './sized-media.ts'

/** The mixed sound's rate: Opus, AAC and MP3 all take 48 kHz. */
const SAMPLE_RATE = 48_000
/** Progress goes out at most this often (each message also keeps Chrome's worker awake). */
const PROGRESS_EVERY_MS = 500

export interface RendererDeps {
  /** How the renderer tells the background (a runtime message, or a call on Firefox). */
  report(event: RendererEvent): void
  /** Fetches the draft's media for one render (tray blobs locally, the rest through the worker). */
  fetchMediaFor(access: RendererStart['access']): FetchMedia
}

/**
 * The page side of the export on this device (the offscreen document, or Firefox's background
 * page): draws every frame with the preview's compositor, mixes the sound with its mixer, encodes
 * both into a file on disk, and reports progress. The compositor, the mixer and the encoder load
 * on the first render.
 */
export function createRenderer(deps: RendererDeps) {
  const running = new Map<string, AbortController>()

  /** The export's media: the page's library, pictures decoded to the frame's size. */
  const libraryFor = (
    preview: typeof import('../preview/index.ts'),
    cmd: { width: number; height: number; access: RendererStart['access'] },
  ) =>
    preview.createMediaLibrary(deps.fetchMediaFor(cmd.access), {
      decodeImage: frameSizedDecoder({ width: cmd.width, height: cmd.height }),
    })

  async function render(cmd: RendererStart): Promise<void> {
    const aborter = new AbortController()
    running.set(cmd.jobId, aborter)
    const { signal } = aborter
    const [preview, { encodeVideo }] = await Promise.all([
      import('../preview/index.ts'),
      import('./encode-video.ts'),
    ])
    const size = { width: cmd.width, height: cmd.height }
    const media = libraryFor(preview, cmd)
    let writable: FileSystemWritableFileStream | undefined
    try {
      const compositor = preview.createCompositor(cmd.timeline, media, size)
      // The panel asked before the job existed; asked again here, a refusal is said plainly. The
      // sound (mixed a window at a time as the encoder goes, never held whole) is decoded and the
      // first frame's pictures are loaded meanwhile, not one after another.
      // The refusal comes first even when the sound fails too: it is the reason to tell.
      const mixing = preview.createAudioMixer(cmd.timeline, media, { sampleRate: SAMPLE_RATE })
      const firstFrame = compositor.prepare(0, { exact: true })
      mixing.catch(() => {})
      firstFrame.catch(() => {})
      const support = await probeEncodeSupport([size])
      if (!support.ok) throw new Error(ENCODE_SUPPORT_MESSAGE[support.reason])
      const [audio] = await Promise.all([mixing, firstFrame])
      signal.throwIfAborted()
      writable = await createOutputFile(cmd.jobId)
      let last = 0
      const result = await encodeVideo({
        ...size,
        fps: cmd.fps,
        durationMs: compositor.durationMs,
        frames: {
          prepare: (t) => compositor.prepare(t, { exact: true }),
          draw: (ctx, t) => compositor.draw(ctx, t),
        },
        audio,
        audioChoice: cmd.audio,
        writable,
        signal,
        onProgress(done, total) {
          const now = Date.now()
          if (now - last < PROGRESS_EVERY_MS) return
          last = now
          const percent = (100 * done) / total
          deps.report({ type: 'renderer-progress', jobId: cmd.jobId, percent })
        },
      })
      const file = await readOutputFile(cmd.jobId)
      if (!file) throw new Error('The rendered file is missing')
      deps.report({
        type: 'renderer-done',
        jobId: cmd.jobId,
        size: file.size,
        ...(result.audioCodec && { audioCodec: result.audioCodec }),
      })
    } catch (err) {
      await writable?.abort().catch(() => {})
      await removeOutputFile(cmd.jobId)
      deps.report({
        type: 'renderer-failed',
        jobId: cmd.jobId,
        message: err instanceof Error ? err.message : String(err),
        cancelled: signal.aborted,
      })
    } finally {
      running.delete(cmd.jobId)
      media.dispose()
    }
  }

  /** The frame at `timeMs` drawn exactly as `render` draws it, as a PNG data: URL. */
  async function still(cmd: Extract<RendererCommand, { type: 'renderer-still' }>): Promise<string> {
    const preview = await import('../preview/index.ts')
    const size = { width: cmd.width, height: cmd.height }
    const media = libraryFor(preview, cmd)
    try {
      const compositor = preview.createCompositor(cmd.timeline, media, size)
      const canvas = new OffscreenCanvas(cmd.width, cmd.height)
      const ctx = canvas.getContext('2d', { alpha: false })
      if (!ctx) throw new Error('No 2D canvas here')
      await compositor.prepare(cmd.timeMs, { exact: true })
      compositor.draw(ctx, cmd.timeMs)
      const blob = await canvas.convertToBlob({ type: 'image/png' })
      return await new Promise<string>((resolve, reject) => {
        const reader = new FileReader()
        reader.onload = () => resolve(String(reader.result))
        reader.onerror = () => reject(reader.error ?? new Error('Could not read the frame'))
        reader.readAsDataURL(blob)
      })
    } finally {
      media.dispose()
    }
  }

  async function bareEncode(
    cmd: Extract<RendererCommand, { type: 'renderer-bare-encode' }>,
  ): Promise<number> {
    const [{ encodeVideo }, { drawCover, kenBurns }] = await Promise.all([
      import('./encode-video.ts'),
      import('../preview/compositor.ts'),
    ])
    // Decoded and scaled to the frame beforehand, as the export's library does.
    const bitmaps = await Promise.all(
      cmd.imageUrls.map(async (url) => {
        const full = await createImageBitmap(await (await fetch(url)).blob())
        const size = shrunkSize(full.width, full.height, cmd)
        if (!size) return full
        const sized = await createImageBitmap(full, {
          resizeWidth: size.width,
          resizeHeight: size.height,
          resizeQuality: 'high',
        })
        full.close()
        return sized
      }),
    )
    const per = cmd.durationMs / bitmaps.length
    const t0 = performance.now()
    await encodeVideo({
      ...cmd,
      frames: {
        // The compositor's pictures, as it moves them, without the rest of the compositor.
        draw(ctx, t) {
          const i = Math.min(bitmaps.length - 1, Math.floor(t / per))
          const bitmap = bitmaps[i]!
          const d = { source: bitmap, width: bitmap.width, height: bitmap.height }
          const { zoom, pan } = kenBurns(i, (t - i * per) / per)
          drawCover(ctx, cmd, d, zoom, pan)
        },
      },
      audioChoice: 'auto',
      writable: new WritableStream(),
    })
    for (const b of bitmaps) b.close()
    return performance.now() - t0
  }

  /** Runs one command; the reply goes back to whoever sent it. */
  async function handle(cmd: RendererCommand): Promise<RendererReply> {
    switch (cmd.type) {
      case 'renderer-start':
        if (running.has(cmd.jobId)) return { ok: true }
        void render(cmd)
        return { ok: true }
      case 'renderer-cancel':
        running.get(cmd.jobId)?.abort(new DOMException('Cancelled', 'AbortError'))
        return { ok: true }
      case 'renderer-file-url': {
        const file = await readOutputFile(cmd.jobId)
        return file ? { ok: true, url: URL.createObjectURL(file) } : { ok: false }
      }
      case 'renderer-revoke':
        URL.revokeObjectURL(cmd.url)
        return { ok: true }
      case 'renderer-remove-file':
        await removeOutputFile(cmd.jobId)
        return { ok: true }
      case 'renderer-status':
        return { ok: true, running: [...running.keys()] }
      case 'renderer-still':
        return { ok: true, url: await still(cmd) }
      case 'renderer-bare-encode':
        return { ok: true, ms: await bareEncode(cmd) }
    }
  }

  return { handle, running: () => [...running.keys()] }
}
export type Renderer = ReturnType<typeof createRenderer>
