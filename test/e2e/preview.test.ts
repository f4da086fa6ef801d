import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Messages } from './lib/messages.ts'
import { canvasGrid } from './lib/canvas-grid.ts'
import { meanDiff } from '../lib/mean-grid.ts'
import { Tour } from './lib/tour.ts'
import { readState } from '../../scripts/lib/worker-api.ts'
import type { ProjectState } from '../../shared/api/state.ts'
import { mediaFile } from '../simulator/media.ts'
import { openPreviewPage, type PreviewPage } from '../preview/page.ts'
import { e2e, openBrowser, type TestBrowser } from './harness.ts'

const COLS = 16
const ROWS = 9

/** The popup canvas as a grid of mean colours (the same cells as test/preview's frames). */
const popupGrid = (popup: Page) => canvasGrid(popup.locator('.preview-canvas'), COLS, ROWS)

/** Sets the seek slider as a person dragging it does (an `input` event). */
async function seekTo(popup: Page, ms: number) {
  await popup.locator('.preview-seek').evaluate((el: HTMLInputElement, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }, ms)
}

/** Waits until the canvas stops changing (a paused frame is drawn), and returns it. */
async function settledGrid(popup: Page): Promise<number[]> {
  let last = await popupGrid(popup)
  for (let i = 0; i < 40; i++) {
    await popup.waitForTimeout(150)
    const next = await popupGrid(popup)
    if (meanDiff(last, next) < 0.01) return next
    last = next
  }
  return last
}

const playheadLeft = (popup: Page) =>
  popup
    .locator('.tl-playhead')
    .first()
    .evaluate((el: HTMLElement) => Number.parseFloat(el.style.left))

describe('the preview player', () => {
  const env = e2e()
  let browser: TestBrowser
  let tour: Tour
  let messages: Messages
  let popup: Page
  let state: ProjectState

  beforeAll(async () => {
    messages = new Messages(env.extensionDir)
    browser = await openBrowser('preview')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages })
    // A registered user with an API token: the finished cloud export is part of this file.
    const { token } = await env.sim.createUserToken({ credits: 5000 })
    await tour.setApiToken(token)
    popup = await tour.openPopup()
    await tour.sendAndWait(popup, 'make a video about the sea with music')
    await tour.waitForTimeline(popup)
    const { key, sessionId } = await tour.stored()
    state = await readState(env.workerUrl, key!, sessionId!)
  })

  afterAll(async () => {
    await env.sim.clearFaults()
    await browser?.close()
  })

  it('draws the first frame, then plays: the canvas changes and the time runs', async () => {
    await popup.locator('.preview-canvas[data-first-frame]').waitFor({ timeout: 20_000 })
    const still = await settledGrid(popup)
    // Never a black frame: the draft's pictures are on it.
    expect(still.some((v) => v > 30)).toBe(true)
    await popup.getByRole('button', { name: messages.text('ui_preview_play'), exact: true }).click()
    await expect
      .poll(() => popup.locator('.preview-seek').inputValue().then(Number))
      .toBeGreaterThan(1200)
    const later = await popupGrid(popup)
    expect(meanDiff(still, later)).toBeGreaterThan(0.5)
    await popup
      .getByRole('button', { name: messages.text('ui_preview_pause'), exact: true })
      .click()
    const at = Number(await popup.locator('.preview-seek').inputValue())
    await popup.waitForTimeout(400)
    expect(Number(await popup.locator('.preview-seek').inputValue())).toBe(at)
  })

  it('a paused frame is the compositor’s frame for that time', async () => {
    const T = 2500
    await seekTo(popup, T)
    const shown = await settledGrid(popup)
    const size = await popup
      .locator('.preview-canvas')
      .evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }))
    const urls = [
      ...new Set(
        state.timeline.tracks
          .flatMap((t) => t.segments.map((s) => s.sourceUrl ?? ''))
          .filter(Boolean),
      ),
    ]
    const page: PreviewPage = await openPreviewPage()
    try {
      const entries = urls.flatMap((url) => {
        const file = mediaFile(new URL(url).pathname)
        return file
          ? [
              [url, Buffer.from(file.bytes).toString('base64'), file.type] as [
                string,
                string,
                string,
              ],
            ]
          : []
      })
      await page.page.evaluate((e) => window.setMedia(e), entries)
      const expected = await page.page.evaluate(
        ([tl, size, t, cols, rows]) => window.frameGrid(tl, size, t, cols, rows),
        [state.timeline, size, T, COLS, ROWS] as const,
      )
      expect(meanDiff(shown, expected)).toBeLessThan(3)
    } finally {
      await page.close()
    }
  })

  it('seeking moves the playhead; a segment click or Enter on it seeks to its start', async () => {
    const total = Math.max(
      state.timeline.durationMs,
      ...state.timeline.tracks.flatMap((t) => t.segments.map((s) => s.endMs)),
    )
    await seekTo(popup, total / 2)
    await expect.poll(() => playheadLeft(popup)).toBeCloseTo(50, 0)
    const video = state.timeline.tracks.find((t) => t.kind === 'video')!
    const second = video.segments[1] ?? video.segments[0]!
    const bars = popup.locator('.tl-track-video .tl-bar[role="button"]')
    await bars.nth(video.segments[1] ? 1 : 0).click()
    await expect
      .poll(() => popup.locator('.preview-seek').inputValue().then(Number))
      .toBe(second.startMs)
    await expect.poll(() => playheadLeft(popup)).toBeCloseTo((second.startMs / total) * 100, 0)
    await seekTo(popup, total - 100)
    await bars.first().focus()
    await popup.keyboard.press('Enter')
    await expect
      .poll(() => popup.locator('.preview-seek').inputValue().then(Number))
      .toBe(video.segments[0]!.startMs)
    expect(await bars.first().getAttribute('aria-label')).toContain(
      messages.text('ui_timeline_seek_hint'),
    )
  })

  it('M mutes while focus is in the player, and the popup opened again is still muted', async () => {
    const muteButton = () =>
      popup.getByRole('button', { name: messages.text('ui_preview_mute'), exact: true })
    expect(await muteButton().getAttribute('aria-pressed')).toBe('false')
    await popup.locator('.preview-seek').focus()
    await popup.keyboard.press('m')
    await expect.poll(() => muteButton().getAttribute('aria-pressed')).toBe('true')
    await popup.close()
    popup = await tour.openPopup()
    await expect.poll(() => muteButton().getAttribute('aria-pressed')).toBe('true')
    await muteButton().click()
    await expect.poll(() => muteButton().getAttribute('aria-pressed')).toBe('false')
  })

  it('a file the media host will not give shows its placeholder with the reason', async () => {
    await env.sim.fault({ kind: 'http', endpoint: 'media', status: 404, times: 50 })
    // The media route's answers are cacheable for a while, and the preview keeps what it fetched
    // on the device: this is the first open on a device that never fetched these files.
    const cdp = await browser.context.newCDPSession(popup)
    await cdp.send('Network.clearBrowserCache')
    await popup.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const del = indexedDB.deleteDatabase('pagereel-media')
          del.onsuccess = () => resolve()
          del.onerror = () => reject(del.error)
        }),
    )
    await popup.close()
    popup = await tour.openPopup()
    const missing = popup.locator('.preview-missing li[data-reason="not_found"]').first()
    await missing.waitFor({ timeout: 20_000 })
    expect(await missing.textContent()).toContain(messages.text('ui_media_not_found'))
    // The canvas says so too: a grey card, not a black frame.
    const grid = await settledGrid(popup)
    expect(grid.some((v) => v > 25)).toBe(true)
    await env.sim.clearFaults()
  })

  it('a finished cloud export plays inline in its row', async () => {
    await tour.exportPresets(popup, ['16:9'])
    const row = popup.locator('.jobs .job-completed').first()
    await row.waitFor({ timeout: 60_000 })
    await row.getByRole('button', { name: messages.text('ui_job_watch') }).click()
    const video = row.locator('video.job-video')
    await video.waitFor()
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 2 && v.videoWidth), {
        timeout: 20_000,
      })
      .toBe(1920)
    expect(await video.getAttribute('aria-label')).toBe(
      messages.text('ui_job_video_label', ['16:9']),
    )
  })
})
