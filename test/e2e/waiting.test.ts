import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'
import { Messages } from './lib/messages.ts'
import { Tour } from './lib/tour.ts'

describe('honest waiting', () => {
  let browser: TestBrowser
  let tour: Tour
  let messages: Messages
  beforeAll(async () => {
    const env = e2e()
    messages = new Messages(env.extensionDir)
    browser = await openBrowser('waiting')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages, shotsDir: screenshotsDir() })
  })
  afterAll(async () => {
    await browser?.close()
    await e2e().sim.clearFaults()
  })

  it('"Stop waiting" frees the composer, keeps the run going on the backend and never sends the prompt again', async () => {
    const { sim } = e2e()
    const popup = await tour.openPopup()
    // A backend that stays silent for a while before its first word.
    await sim.fault({ kind: 'slow-first-byte', delayMs: 8000 })
    await sim.nextTurn({ noText: false })
    const runsBefore = (await sim.log('run_sse')).length
    const statesBefore = (await sim.log('state')).length
    await tour.send(popup, 'Make a short video about a lighthouse at dawn')
    const reply = tour.lastReply(popup)
    await expect.poll(() => reply.getAttribute('aria-busy')).toBe('true')
    // The whole turn shows that it works, and for how long.
    await expect.poll(() => reply.locator('.msg-elapsed').textContent()).toMatch(/^\d+:\d\d$/)
    await reply.getByRole('button', { name: messages.text('ui_reply_stop') }).click()

    await expect.poll(() => popup.locator('#composer-input').isEnabled()).toBe(true)
    expect(await reply.getAttribute('aria-busy')).toBe('false')
    await reply.getByText(messages.text('ui_reply_stopped')).waitFor()
    await tour.shot(popup, 'stop-waiting')
    // The next state read follows at once: it will show what the backend made.
    await expect.poll(async () => (await sim.log('state')).length).toBeGreaterThan(statesBefore)

    // The backend finishes the turn it was given, once.
    await expect
      .poll(async () => (await sim.log('run_sse')).slice(runsBefore).map((r) => r.status), {
        timeout: 30_000,
      })
      .toEqual([200])
    // A reopened popup shows the stopped reply and sends nothing again.
    await popup.close()
    const again = await tour.openPopup()
    await again.getByText(messages.text('ui_reply_stopped')).waitFor()
    await new Promise((r) => setTimeout(r, 1000))
    expect((await sim.log('run_sse')).length - runsBefore).toBe(1)
    const { chat } = await tour.stored()
    expect(chat.filter((e) => e.kind === 'user')).toHaveLength(1)
    expect(chat.find((e) => e.kind === 'reply')?.status).toBe('stopped')
  })
})
