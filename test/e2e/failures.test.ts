import type { Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Messages } from './lib/messages.ts'
import { Tour, type StoredState } from './lib/tour.ts'
import { MEDIA_FORMATS } from '../../shared/media.ts'
import { ERROR_TABLE } from '../../shared/errors/table.ts'
import type { ErrorCode } from '../../shared/errors/codes.ts'
import { readState } from '../../scripts/lib/worker-api.ts'
import { waitFor } from '../../scripts/lib/wait.ts'
import { e2e, openBrowser, type TestBrowser } from './harness.ts'

// One anonymous user's project, hit by one backend failure after another through the simulator's
// fault injection. Each test checks what the user is told, what they can do about it, and that
// nothing they collected or wrote went missing.
describe('when the backend fails, the user is told why and loses nothing', () => {
  const env = e2e()
  const messages = new Messages(env.extensionDir)
  let browser: TestBrowser
  let tour: Tour
  let site: Page
  let popup: Page
  /** The start of the user's message in the English table, up to its first `{placeholder}`. */
  const messageOf = (code: ErrorCode) => ERROR_TABLE[code].en.split(/\{\w+\}/)[0]!.trim()

  /** An error notice anywhere in `scope` whose text starts like the table's message for `code`. */
  const errorNotice = (scope: Locator | Page, code: ErrorCode) =>
    scope
      .locator('.notice-error')
      .filter({ hasText: messageOf(code) })
      .last()

  /** Every chat line and tray item of `before` is still there, in the same order. */
  async function expectNothingLost(before: StoredState): Promise<void> {
    const after = await tour.stored()
    const ids = (s: StoredState) => s.chat.map((e) => e.id)
    expect(ids(after).slice(0, before.chat.length)).toEqual(ids(before))
    for (const item of before.tray) expect(after.tray.map((i) => i.id)).toContain(item.id)
    expect(after.sessionId).toBe(before.sessionId)
  }

  beforeAll(async () => {
    browser = await openBrowser('failures')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages })
    site = await tour.openSite()
    await tour.addImage(site, '#hero')
    await tour.addImage(site, '#meadow')
    popup = await tour.openPopup()
    await tour.makeVideo(popup)
    const reply = await tour.waitForReplyDone(popup, 1, 60_000)
    expect(reply.error).toBe('')
  })
  afterEach(async () => {
    await env.sim.clearFaults()
    await env.sim.setCredits(5000)
  })
  afterAll(async () => {
    await browser?.close()
  })

  /**
   * The backend answers `/run_sse` with `code` twice (the worker's own one retry included): the
   * chat shows `errorCode` with "Try again", which then works, and nothing is lost.
   */
  async function failTwiceThenRetry(
    code: 429 | 1001,
    errorCode: 'upstream_rate_limited' | 'token_expired',
    text: string,
  ) {
    const before = await tour.stored()
    await env.sim.fault({ kind: 'code', code, endpoint: 'run_sse', times: 2 })
    await tour.send(popup, text)
    const notice = errorNotice(popup.locator('.chat'), errorCode)
    await notice.waitFor({ timeout: 30_000 })
    await env.sim.clearFaults()
    const shown = await tour.replyCount(popup)
    await notice.getByRole('button', { name: messages.text('ui_action_retry') }).click()
    const reply = await tour.waitForReplyDone(popup, shown + 1)
    expect(reply.error).toBe('')
    await expectNothingLost(before)
  }

  it('rate limited (429) twice: "NemoVideo is busy", and "Try again" works', () =>
    failTwiceThenRetry(429, 'upstream_rate_limited', 'make it shorter'))

  it('a backend silent for longer than usual: the reply says it is still working, then arrives', async () => {
    const before = await tour.stored()
    // The worker says "still working" after 3 s of silence in this stack (STILL_WORKING_INTERVAL_MS).
    await env.sim.fault({ kind: 'slow-first-byte', delayMs: 6000 })
    await env.sim.nextTurn({ noText: false })
    const shown = await tour.replyCount(popup)
    await tour.send(popup, 'make it shorter')
    const status = popup.locator('.msg-reply').nth(shown).locator('.msg-status')
    await expect
      .poll(() => status.allTextContents(), { timeout: 20_000 })
      .toEqual(
        expect.arrayContaining([expect.stringMatching(messages.pattern('ui_reply_still_working'))]),
      )
    const reply = await tour.waitForReplyDone(popup, shown + 1)
    expect(reply.error).toBe('')
    expect(reply.text).toMatch(/\S/)
    await expectNothingLost(before)
  })

  it('the upstream drops the stream of an edit: the reply ends with the draft as it is now', async () => {
    const before = await tour.stored()
    await env.sim.fault({ kind: 'drop-stream', afterEvents: 1 })
    // A title the draft does not have yet, so the edit surely changes it.
    const reply = await tour.sendAndWait(popup, 'change the title to "Harbour Lights"')
    expect(reply.error).toBe('')
    // The backend finished the edit anyway; the worker read the draft and says what it is now.
    expect(reply.summary).toMatch(/\S/)
    await expect.poll(() => popup.locator('.timeline-summary').textContent()).toBe(reply.summary)
    await expectNothingLost(before)
  })

  it('the upstream drops the stream of a question: the drop is explained (check the timeline before re-sending)', async () => {
    const before = await tour.stored()
    await env.sim.fault({ kind: 'drop-stream', afterEvents: 1 })
    const reply = await tour.sendAndWait(popup, 'what can you do for me?')
    expect(reply.error).toContain(messageOf('stream_dropped'))
    await expectNothingLost(before)
  })

  it('a token the backend revoked early (1001 while in date): renewed for the same backend user, the project goes on', async () => {
    const before = await tour.stored()
    const state = await readState(env.workerUrl, before.key!, before.sessionId!)
    const visuals = (s: typeof state) =>
      s.timeline.tracks.find((t) => t.kind === 'video')?.segments.map((x) => x.label)
    expect(visuals(state)?.length).toBeGreaterThan(0)
    const clients = async () =>
      (await env.sim.log('anonymous-token')).map((e) => e.headers['x-client-id'])
    const issued = await clients()
    await env.sim.expireAllTokens()
    await env.sim.nextTurn({ noText: false })
    const reply = await tour.sendAndWait(popup, 'change the title to "Coast"')
    expect(reply.error).toBe('')
    expect(reply.text).toContain('Coast')
    // The worker registered again by itself, under the same client id: the same backend user.
    const now = await clients()
    expect(now.length).toBe(issued.length + 1)
    expect(now.at(-1)).toBe(issued.at(-1))
    expect(visuals(await readState(env.workerUrl, before.key!, before.sessionId!))).toEqual(
      visuals(state),
    )
    expect(await popup.locator('.msg-reply').last().locator('.msg-notice').count()).toBe(0)
    await expectNothingLost(before)
  })

  it('1001 whose renewal the backend refuses: told so with "Use my own API token", no new identity, nothing lost', async () => {
    // The backend gives one anonymous token per client id per 7 days, so renewing this week's
    // token under the same id is refused (429). A refusal never costs a new client id (issue 8),
    // so the user is told how to go on instead of silently becoming a new, empty backend user.
    const before = await tour.stored()
    await env.sim.fault({ kind: 'code', code: 1001, endpoint: 'run_sse', times: 2 })
    await tour.send(popup, 'add music')
    const notice = errorNotice(popup.locator('.chat'), 'registration_capped')
    await notice.waitFor({ timeout: 30_000 })
    const setToken = notice.getByRole('button', { name: messages.text('ui_action_set_token') })
    expect(await setToken.count()).toBe(1)
    await env.sim.clearFaults()
    // The token the backend still honours goes on working: the same project, the same user.
    const shown = await tour.replyCount(popup)
    await tour.send(popup, 'add music')
    const reply = await tour.waitForReplyDone(popup, shown + 1)
    expect(reply.error).toBe('')
    await expectNothingLost(before)
  })

  it('no credits (2001): told so, with the register link carrying the bind id', async () => {
    const before = await tour.stored()
    await env.sim.setCredits(0)
    // A generation costs credits on every turn (an edit only once per session).
    await tour.send(popup, 'make a new video about the harbour')
    const notice = errorNotice(popup.locator('.chat'), 'no_credits')
    await notice.waitFor({ timeout: 30_000 })
    const opened = browser.context.waitForEvent('page')
    await notice.getByRole('button', { name: messages.text('ui_action_register') }).click()
    const register = await opened
    await register.waitForLoadState()
    const url = new URL(register.url())
    expect(`${url.origin}${url.pathname}`).toBe(`${env.nemoWebUrl}register`)
    expect(url.searchParams.get('bind')).toMatch(/^anon_\w+$/)
    await register.close()
    await expectNothingLost(before)
  })

  it('unsupported file (4001): the tray names the image and the formats, and keeps both images', async () => {
    await tour.addImage(site, '#lazy')
    await tour.addImage(site, '#pic img')
    const before = await tour.stored()
    await env.sim.fault({ kind: 'code', code: 4001, endpoint: 'upload' })
    await popup.bringToFront()
    await tour.makeVideo(popup)
    const notice = errorNotice(popup.locator('.tray'), 'unsupported_format')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.textContent()).toContain(messages.text('ui_tray_image_n', [1]))
    expect(await notice.textContent()).toContain(MEDIA_FORMATS.join(', '))
    expect(await popup.locator('.tray-items > li').count()).toBe(2)
    await expectNothingLost(before)
  })

  it('too large (4002): the tray says so with the way out; once it passes, the video is made', async () => {
    const before = await tour.stored()
    await popup
      .locator('.tray .notice-error')
      .getByRole('button', { name: messages.text('ui_dismiss') })
      .click()
    await env.sim.fault({ kind: 'code', code: 4002, endpoint: 'upload' })
    await tour.makeVideo(popup)
    const notice = errorNotice(popup.locator('.tray'), 'file_too_large')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.textContent()).toContain(messages.text('ui_action_compress'))
    expect(await popup.locator('.tray-items > li').count()).toBe(2)
    await expectNothingLost(before)
    await env.sim.clearFaults()
    const shown = await tour.replyCount(popup)
    await tour.makeVideo(popup)
    const reply = await tour.waitForReplyDone(popup, shown + 1, 60_000)
    expect(reply.error).toBe('')
    await expect.poll(() => popup.locator('.tray-items > li').count()).toBe(0)
  })

  it('lost session (1002): the worker opens a new one and says so; the chat goes on', async () => {
    const before = await tour.stored()
    await env.sim.dropAllSessions()
    const reply = await tour.sendAndWait(popup, 'add music')
    expect(reply.error).toBe('')
    await expect(
      popup.locator('.msg-reply').last().locator('.msg-notice').textContent(),
    ).resolves.toBe(messages.text('ui_notice_session_renewed'))
    await expectNothingLost(before)
  })
})

// NemoVideo's anonymous tokens last 7 days and the worker uses one to its end; here one lasts
// 20 s, so it runs out mid-project.
describe('a token that runs out mid-project', () => {
  const env = e2e()
  const messages = new Messages(env.extensionDir)
  const TTL_MS = 20_000
  let browser: TestBrowser

  afterAll(async () => {
    await env.sim.configure({ tokenTtlMs: 7 * 24 * 3600 * 1000 })
    await browser?.close()
  })

  it('is renewed at its expiry for the same backend user (1001): the project and its timeline go on', async () => {
    await env.sim.configure({ tokenTtlMs: TTL_MS })
    browser = await openBrowser('token-expiry')
    const tour = new Tour({ browser, siteUrl: env.siteUrl, messages })
    // The token is issued at registration, which ends before the key is stored: the moment the key
    // is seen bounds its issue from above (a loaded machine can take seconds to start the browser).
    const registeredBy = await waitFor('the installation key', async () =>
      (await tour.stored()).key ? Date.now() : undefined,
    )
    const site = await tour.openSite()
    await tour.addImage(site, '#hero')
    await tour.addImage(site, '#lazy')
    const popup = await tour.openPopup()
    await tour.makeVideo(popup)
    expect((await tour.waitForReplyDone(popup, 1, 60_000)).error).toBe('')
    const { key, sessionId } = await tour.stored()
    const before = await readState(env.workerUrl, key!, sessionId!)
    const history = await tour.stored()
    // Past the first token's end.
    await new Promise((r) => setTimeout(r, Math.max(0, registeredBy + TTL_MS + 2000 - Date.now())))

    await env.sim.nextTurn({ noText: false })
    const reply = await tour.sendAndWait(popup, 'change the title to "Dawn"')
    expect(reply.error).toBe('')
    expect(reply.text).toContain('Dawn')
    // Renewed with the same client id: the same backend user, so the same session and draft.
    const clients = (await env.sim.log('anonymous-token')).map((e) => e.headers['x-client-id'])
    expect(clients.filter((c) => c === clients[clients.length - 1]).length).toBeGreaterThanOrEqual(
      2,
    )
    const after = await readState(env.workerUrl, key!, sessionId!)
    const visuals = (s: typeof before) =>
      s.timeline.tracks.find((t) => t.kind === 'video')?.segments.map((x) => x.label)
    expect(visuals(after)).toEqual(visuals(before))
    expect(await popup.locator('.msg-notice').count()).toBe(0)
    const now = await tour.stored()
    expect(now.chat.slice(0, history.chat.length).map((e) => e.id)).toEqual(
      history.chat.map((e) => e.id),
    )
  })
})
