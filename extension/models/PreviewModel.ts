import { createModel, signal, type ModelConstructor, type ReadonlySignal } from '@preact/signals'
import type { MediaFailure } from '../preview/types.ts'

export interface PreviewDeps {
  /** Bytes of a media file the session's draft names (the worker's media route). */
  fetchMedia(sessionId: string, url: string): Promise<Blob>
  /** The tray's own copy of a URL's bytes, when it kept one. */
  localBlob(url: string): Promise<Blob | undefined>
  /** A finished cloud export's signed link, to watch it inline. */
  exportLink(jobId: string): Promise<string>
}

/** A request for the player; `n` makes a repeated request (same time twice) a new one. */
export interface SeekRequest {
  ms: number
  play: boolean
  n: number
}

/**
 * The preview player's state, shared by the player and the timeline below it: where playback is,
 * whether it runs, what media failed; and requests from elsewhere (a timeline click, a reply's
 * "preview" action) for the player to carry out. The drawing itself loads lazily in the player.
 */
export interface PreviewModel {
  currentMs: ReadonlySignal<number>
  playing: ReadonlySignal<boolean>
  failures: ReadonlySignal<MediaFailure[]>
  request: ReadonlySignal<SeekRequest | null>
  deps: PreviewDeps
  /** Seek there (a timeline segment, the playhead); keeps playing if it was. */
  seek(ms: number): void
  /** Bring the player into view and play from where it is (a reply's "preview" action). */
  playFromHere(): void
  /** The player reports. */
  report(state: { currentMs?: number; playing?: boolean; failures?: MediaFailure[] }): void
}

export const PreviewModel: ModelConstructor<PreviewModel, [PreviewDeps]> = createModel(
  (deps: PreviewDeps) => {
    const currentMs = signal(0, { name: 'preview.currentMs' })
    const playing = signal(false, { name: 'preview.playing' })
    const failures = signal<MediaFailure[]>([], { name: 'preview.failures' })
    const request = signal<SeekRequest | null>(null, { name: 'preview.request' })
    let n = 0
    return {
      currentMs,
      playing,
      failures,
      request,
      deps,
      seek(ms: number) {
        currentMs.value = Math.max(0, ms)
        request.value = { ms: currentMs.peek(), play: playing.peek(), n: ++n }
      },
      playFromHere() {
        request.value = { ms: currentMs.peek(), play: true, n: ++n }
      },
      report(s) {
        if (s.currentMs !== undefined) currentMs.value = s.currentMs
        if (s.playing !== undefined) playing.value = s.playing
        if (s.failures !== undefined) failures.value = s.failures
      },
    }
  },
)
