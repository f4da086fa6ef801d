import {
  createModel,
  effect,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import type { MediaFailure } from '../preview/types.ts'
import type { PreviewSound } from '../utils/preview-sound.ts'

/** Where the mute and volume choice is kept (storage.local), so it holds the next time. */
export interface PreviewSoundStore {
  get(): Promise<PreviewSound>
  set(sound: PreviewSound): Promise<void>
  /** The choice made in another view (popup and side panel open together). */
  watch(cb: (sound: PreviewSound) => void): () => void
}

/** How the player and the job rows reach media: the worker, the tray's bytes, export links. */
export interface PreviewAccess {
  /** Bytes of a media file the session's draft names (the worker's media route). */
  fetchMedia(sessionId: string, url: string): Promise<Blob>
  /** The tray's own copy of a URL's bytes, when it kept one. */
  localBlob(url: string): Promise<Blob | undefined>
  /** A finished cloud export's signed link, to watch it inline. */
  exportLink(jobId: string): Promise<string>
}

export interface PreviewDeps extends PreviewAccess {
  /** Keeps the mute and volume choice; without it the choice lasts while the view is open. */
  sound?: PreviewSoundStore
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
  /** The person's sound choice (remembered); the player's gain is 0 while muted. */
  muted: ReadonlySignal<boolean>
  /** 0-1, applied when not muted. */
  volume: ReadonlySignal<number>
  deps: PreviewAccess
  /** Seek there (a timeline segment, the playhead); keeps playing if it was. */
  seek(ms: number): void
  /** Bring the player into view and play from where it is (a reply's "preview" action). */
  playFromHere(): void
  /** The player reports. */
  report(state: { currentMs?: number; playing?: boolean; failures?: MediaFailure[] }): void
  /** Mutes, or unmutes at the volume it had (the M key, the speaker button). */
  toggleMute(): void
  /** A new volume (0-1); raising it above 0 unmutes, as a person dragging it expects. */
  setVolume(volume: number): void
}

export const PreviewModel: ModelConstructor<PreviewModel, [PreviewDeps]> = createModel(
  (deps: PreviewDeps) => {
    const currentMs = signal(0, { name: 'preview.currentMs' })
    const playing = signal(false, { name: 'preview.playing' })
    const failures = signal<MediaFailure[]>([], { name: 'preview.failures' })
    const request = signal<SeekRequest | null>(null, { name: 'preview.request' })
    const muted = signal(false, { name: 'preview.muted' })
    const volume = signal(1, { name: 'preview.volume' })
    let n = 0
    /** A choice made here, or one seen changing, before the stored one was read wins over it. */
    let known = false
    const apply = (sound: PreviewSound) => {
      muted.value = sound.muted
      volume.value = sound.volume
    }
    /** Our own writes not yet seen back: their echo must not move a slider being dragged. */
    const unseen: string[] = []
    const choose = (sound: PreviewSound) => {
      known = true
      if (sound.muted === muted.peek() && sound.volume === volume.peek()) return
      apply(sound)
      unseen.push(JSON.stringify(sound))
      void deps.sound?.set(sound).catch(() => {})
    }
    void deps.sound
      ?.get()
      .then((sound) => known || apply(sound))
      .catch(() => {})
    effect(() =>
      deps.sound?.watch((sound) => {
        const echo = unseen.indexOf(JSON.stringify(sound))
        known = true
        if (echo >= 0) unseen.splice(0, echo + 1)
        else apply(sound)
      }),
    )
    return {
      currentMs,
      playing,
      failures,
      request,
      muted,
      volume,
      deps: {
        fetchMedia: deps.fetchMedia,
        localBlob: deps.localBlob,
        exportLink: deps.exportLink,
      },
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
      toggleMute() {
        // Unmuting at volume 0 would stay silent: back to full.
        const v = volume.peek()
        choose({ muted: !muted.peek(), volume: muted.peek() && v === 0 ? 1 : v })
      },
      setVolume(v: number) {
        const next = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 1))
        choose({ muted: muted.peek() && next === 0, volume: next })
      },
    }
  },
)
