import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { PreviewModel, type PreviewDeps } from '../../../extension/models/PreviewModel.ts'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'
import { previewSoundItem } from '../../../extension/utils/preview-sound.ts'
import { projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('en')
})
afterEach(() => {
  cleanup()
  setUiLanguage('auto')
})

/** A preview model over the real storage item (WXT's fake storage.local), as the app builds it. */
function model() {
  const deps: PreviewDeps = {
    fetchMedia: () => Promise.reject(new Error('no media in this test')),
    localBlob: async () => undefined,
    exportLink: () => Promise.reject(new Error('no exports in this test')),
    sound: {
      get: () => previewSoundItem.getValue(),
      set: (sound) => previewSoundItem.setValue(sound),
      watch: (cb) => previewSoundItem.watch(cb),
    },
  }
  return new PreviewModel(deps)
}

describe('the preview’s sound choice', () => {
  it('mutes and unmutes, and is remembered for the next time the player opens', async () => {
    const first = model()
    expect([first.muted.value, first.volume.value]).toEqual([false, 1])
    first.toggleMute()
    expect(first.muted.value).toBe(true)
    await waitFor(async () =>
      expect(await previewSoundItem.getValue()).toEqual({ muted: true, volume: 1 }),
    )
    first[Symbol.dispose]()

    const next = model()
    await waitFor(() => expect(next.muted.value).toBe(true))
    next.toggleMute()
    expect(next.muted.value).toBe(false)
    await waitFor(async () => expect((await previewSoundItem.getValue()).muted).toBe(false))
    next[Symbol.dispose]()
  })

  it('takes a volume, which unmutes when raised; unmuting at 0 comes back at full', async () => {
    const m = model()
    m.toggleMute()
    m.setVolume(0.4)
    expect([m.muted.value, m.volume.value]).toEqual([false, 0.4])
    m.setVolume(7)
    expect(m.volume.value).toBe(1)
    m.setVolume(0)
    m.toggleMute()
    m.toggleMute()
    expect([m.muted.value, m.volume.value]).toEqual([false, 1])
    await waitFor(async () =>
      expect(await previewSoundItem.getValue()).toEqual({ muted: false, volume: 1 }),
    )
    m[Symbol.dispose]()
  })

  it('follows a choice made in the other view (popup and side panel open together)', async () => {
    const m = model()
    await previewSoundItem.setValue({ muted: true, volume: 0.25 })
    await waitFor(() => expect([m.muted.value, m.volume.value]).toEqual([true, 0.25]))
    m[Symbol.dispose]()
  })

  it('reads a stored value it cannot parse as the default, unmuted at full volume', async () => {
    await fakeBrowser.storage.local.set({ 'preview-sound': { muted: 'yes', volume: 3 } })
    const m = model()
    await new Promise((r) => setTimeout(r, 20))
    expect([m.muted.value, m.volume.value]).toEqual([false, 1])
    m[Symbol.dispose]()
  })
})

describe('the player’s sound controls', () => {
  async function openPlayer() {
    await projectsItem.setValue({
      currentSessionId: SESSION,
      projects: [{ sessionId: SESSION, title: 'Night city', createdAt: new Date().toISOString() }],
    })
    const app = renderApp(createFakeWorker())
    const mute = await waitFor(() => screen.getByRole('button', { name: 'Mute' }))
    return { app, mute }
  }

  it('has a labelled mute toggle; M mutes wherever focus is in the player; the choice holds', async () => {
    const { app, mute } = await openPlayer()
    expect(mute.getAttribute('aria-pressed')).toBe('false')
    expect(mute.getAttribute('aria-keyshortcuts')).toBe('M')
    expect(mute.title).toBe('Mute or unmute the sound (M)')

    fireEvent.click(mute)
    expect(mute.getAttribute('aria-pressed')).toBe('true')
    expect(app.state.preview.muted.value).toBe(true)

    const seek = screen.getByRole('slider', { name: 'Position in the video' })
    seek.focus()
    fireEvent.keyDown(seek, { key: 'm' })
    expect(mute.getAttribute('aria-pressed')).toBe('false')
    fireEvent.keyDown(mute, { key: 'M' })
    expect(mute.getAttribute('aria-pressed')).toBe('true')
    // Not with a modifier (a browser or system shortcut).
    fireEvent.keyDown(mute, { key: 'm', ctrlKey: true })
    expect(mute.getAttribute('aria-pressed')).toBe('true')
    await waitFor(async () => expect((await previewSoundItem.getValue()).muted).toBe(true))
    app.close()
    cleanup()

    // Opened again: still muted.
    const again = await openPlayer()
    await waitFor(() => expect(again.mute.getAttribute('aria-pressed')).toBe('true'))
    again.app.close()
  })

  it('has a volume slider whose value is spoken, and words in Chinese', async () => {
    const { app } = await openPlayer()
    const volume = screen.getByRole('slider', { name: 'Volume' }) as HTMLInputElement
    fireEvent.input(volume, { target: { value: '40' } })
    expect(app.state.preview.volume.value).toBe(0.4)
    await waitFor(() => expect(volume.getAttribute('aria-valuetext')).toBe('40 percent'))
    fireEvent.click(screen.getByRole('button', { name: 'Mute' }))
    await waitFor(() => expect(volume.getAttribute('aria-valuetext')).toBe('Muted'))
    expect(volume.value).toBe('0')

    setUiLanguage('zh')
    app.close()
    cleanup()
    const zh = renderApp(createFakeWorker())
    const mute = await waitFor(() => screen.getByRole('button', { name: '静音' }))
    expect(mute.title).toBe('静音或取消静音（M）')
    expect(screen.getByRole('slider', { name: '音量' })).toBeTruthy()
    zh.close()
  })
})
