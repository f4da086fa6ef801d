/**
 * The steps a person takes with PageReel, shared by the e2e suite and `npm run demo`: collect from
 * a page (context menus, the picker), make the video in the popup, edit, export, download. Menus
 * and notifications are browser UI that automation cannot click, so their clicks are dispatched
 * to the extension's own listeners (`contextMenus.onClicked`, `notifications.onButtonClicked`).
 * @module
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import type { ExtensionBrowser } from './browser.ts'
import type { Messages } from './messages.ts'
import { readStoredState, type StoredState, type TrayEntry } from './stored-state.ts'
import { waitFor } from '../../../scripts/lib/wait.ts'

export type { StoredChatEntry, StoredJob, StoredState, TrayEntry } from './stored-state.ts'

/** The popup's largest size in Chromium's toolbar bubble (it is opened as a tab here). */
export const POPUP_VIEWPORT = { width: 400, height: 600 }

export interface TourOptions {
  browser: ExtensionBrowser
  /** The demo site's base URL (`…/index.html` is the article). */
  siteUrl: string
  messages: Messages
  /** Where `shot()` writes PNGs; no screenshots without it. */
  shotsDir?: string
  log?: (line: string) => void
}

export type MenuId =
  'add-image' | 'make-from-image' | 'make-from-text' | 'pick-images' | 'make-from-article'

export class Tour {
  readonly browser: ExtensionBrowser
  readonly siteUrl: string
  readonly messages: Messages
  readonly #shotsDir: string | undefined
  readonly #log: (line: string) => void

  constructor(options: TourOptions) {
    this.browser = options.browser
    this.siteUrl = options.siteUrl
    this.messages = options.messages
    this.#shotsDir = options.shotsDir
    this.#log = options.log ?? (() => {})
  }

  step(line: string): void {
    this.#log(line)
  }

  /** Opens the demo article in a new tab and waits for its images. */
  async openSite(): Promise<Page> {
    this.step('open the demo page')
    const page = await this.browser.context.newPage()
    await page.goto(this.siteUrl, { waitUntil: 'load' })
    return page
  }

  /**
   * A context-menu click on `page`, delivered to the extension's `contextMenus.onClicked` listener
   * with the info and tab Chromium would give it. Resolves once the listener has been called.
   */
  async menuClick(
    page: Page,
    info: { menuItemId: MenuId; srcUrl?: string; selectionText?: string; mediaType?: string },
  ): Promise<void> {
    const worker = await this.browser.serviceWorker()
    await worker.evaluate(
      async ({ pageUrl, info }) => {
        const tabs = await chrome.tabs.query({})
        const tab = tabs.find((t) => t.url === pageUrl)
        if (!tab?.id) throw new Error(`no tab shows ${pageUrl}`)
        const full = await chrome.tabs.get(tab.id)
        const event = (
          chrome as unknown as {
            contextMenus: { onClicked: { dispatch(info: unknown, tab: unknown): void } }
          }
        ).contextMenus.onClicked
        event.dispatch({ editable: false, frameId: 0, pageUrl, ...info }, full)
      },
      { pageUrl: page.url(), info },
    )
  }

  /** Right-click on an image, "Add to video" (or "Make video from this image"). */
  async addImage(page: Page, selector: string, action: MenuId = 'add-image'): Promise<TrayEntry> {
    this.step(`right-click ${selector}: ${action}`)
    const before = await this.tray()
    // Chromium's menu info carries the element's raw `src`, not the srcset candidate it shows.
    const srcUrl = await page.locator(selector).evaluate((img) => (img as HTMLImageElement).src)
    await this.menuClick(page, { menuItemId: action, srcUrl, mediaType: 'image' })
    const items = await this.waitForTray(before.length + 1)
    return items[items.length - 1]!
  }

  /**
   * Selects the text of `selector` and uses "Make video from this text"; resolves with the
   * selection the menu carried. The extension adds it to the tray and leaves a "make video" that an
   * open popup or side panel takes up at once.
   */
  async addSelectedText(page: Page, selector: string): Promise<string> {
    this.step(`select ${selector}: make video from this text`)
    const selectionText = await page.locator(selector).evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      const selection = getSelection()!
      selection.removeAllRanges()
      selection.addRange(range)
      return selection.toString().replace(/\s+/g, ' ').trim()
    })
    await this.menuClick(page, { menuItemId: 'make-from-text', selectionText })
    return selectionText
  }

  /** "Make video from images on this page": resolves with the in-page picker's dialog. */
  async openPicker(page: Page): Promise<Locator> {
    this.step('right-click the page: make video from images on this page')
    await this.menuClick(page, { menuItemId: 'pick-images' })
    const dialog = page.locator('#pagereel-picker [role=dialog]')
    await dialog.waitFor({ state: 'visible', timeout: 15_000 })
    return dialog
  }

  /** The image URLs the picker offers, in order. */
  async pickerImages(page: Page): Promise<string[]> {
    return await page
      .locator('#pagereel-picker label img')
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src))
  }

  /** Clicks the picker's "Make video" and waits for the tray to hold `expected` items. */
  async confirmPicker(page: Page, expected: number): Promise<TrayEntry[]> {
    this.step('picker: make video')
    await page
      .locator('#pagereel-picker')
      .getByRole('button', { name: this.messages.text('picker_make_video') })
      .click()
    return await this.waitForTray(expected)
  }

  /** The tray as the extension stores it. */
  async tray(): Promise<TrayEntry[]> {
    const worker = await this.browser.serviceWorker()
    const stored = await worker.evaluate(() => chrome.storage.local.get('tray'))
    return ((stored.tray as { items?: TrayEntry[] } | undefined)?.items ?? []).map((i) => ({
      ...i,
    }))
  }

  async waitForTray(count: number, timeoutMs = 20_000): Promise<TrayEntry[]> {
    return await waitFor(
      `${count} tray items`,
      async () => {
        const items = await this.tray()
        return items.length >= count ? items : undefined
      },
      timeoutMs,
    )
  }

  /** The extension's stored state: installation key, current project, its chat, followed jobs. */
  async stored(): Promise<StoredState> {
    return await readStoredState(this.browser)
  }

  /** Opens the popup (as a tab, at the popup's size) and waits for the app to render. */
  async openPopup(): Promise<Page> {
    this.step('open the popup')
    const page = await this.browser.context.newPage()
    await page.setViewportSize(POPUP_VIEWPORT)
    await page.goto(this.browser.extensionUrl('popup.html'))
    await page.locator('.app').waitFor({ timeout: 15_000 })
    return page
  }

  /** Clicks "Make video from these images" in the popup's tray. */
  async makeVideo(popup: Page): Promise<void> {
    this.step('popup: make video from these images')
    await popup.getByRole('button', { name: this.messages.text('ui_tray_make_video') }).click()
  }

  /** Types a message into the chat and sends it. */
  async send(popup: Page, text: string): Promise<void> {
    this.step(`popup: send "${text}"`)
    const input = popup.locator('#composer-input')
    await input.waitFor()
    await waitFor('the composer to be enabled', () => input.isEnabled(), 60_000)
    await input.fill(text)
    await input.press('Enter')
  }

  /** How many replies the chat shows now. */
  async replyCount(popup: Page): Promise<number> {
    return await popup.locator('.msg-reply').count()
  }

  /** Sends `text` and waits for the reply it starts to finish. */
  async sendAndWait(
    popup: Page,
    text: string,
    timeoutMs = 60_000,
  ): Promise<{ text: string; summary: string; error: string }> {
    const before = await this.replyCount(popup)
    await this.send(popup, text)
    return await this.waitForReplyDone(popup, before + 1, timeoutMs)
  }

  /** The newest reply in the chat. */
  lastReply(popup: Page): Locator {
    return popup.locator('.msg-reply').last()
  }

  /** Waits until the newest reply is streaming with some text, and returns that text. */
  async waitForStreamingText(popup: Page, timeoutMs = 60_000): Promise<string> {
    return await waitFor(
      'a reply streaming in',
      async () => {
        const reply = this.lastReply(popup)
        if ((await reply.count()) === 0 || (await reply.getAttribute('aria-busy')) !== 'true')
          return undefined
        const text =
          (await reply
            .locator('.msg-text')
            .textContent()
            .catch(() => null)) ?? ''
        return text.length > 0 ? text : undefined
      },
      timeoutMs,
      100,
    )
  }

  /**
   * Waits for the reply count to reach `count` and the newest one to finish; resolves with its
   * text, summary and error notice (empty strings when absent).
   */
  async waitForReplyDone(
    popup: Page,
    count = 1,
    timeoutMs = 90_000,
  ): Promise<{ text: string; summary: string; error: string }> {
    await waitFor(
      `reply ${count} to finish`,
      async () => {
        const replies = popup.locator('.msg-reply')
        if ((await replies.count()) < count) return undefined
        return (await replies.nth(count - 1).getAttribute('aria-busy')) === 'false'
      },
      timeoutMs,
      200,
    ).catch(async (error: Error) => {
      // Say what the user sees instead: an error notice usually explains it.
      const notices = await popup
        .locator('.notice-error')
        .allInnerTexts()
        .catch(() => [])
      throw new Error(`${error.message}; error notices: ${JSON.stringify(notices)}`)
    })
    const reply = popup.locator('.msg-reply').nth(count - 1)
    const read = async (sel: string) =>
      (await reply.locator(sel).count())
        ? ((await reply.locator(sel).first().textContent()) ?? '')
        : ''
    return {
      text: await read('.msg-text'),
      summary: await read('.msg-summary'),
      error: await read('.notice-text'),
    }
  }

  /** Waits for the timeline to draw at least one segment; returns the bars' accessible labels. */
  async waitForTimeline(popup: Page, timeoutMs = 30_000): Promise<string[]> {
    const bars = popup.locator('.tl .tl-bar')
    await waitFor('the timeline to draw segments', async () => (await bars.count()) > 0, timeoutMs)
    return await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))
  }

  /** Selects exactly `presets` in the export panel and starts the export. */
  async exportPresets(popup: Page, presets: ReadonlyArray<'16:9' | '9:16' | '1:1'>): Promise<void> {
    this.step(`popup: export ${presets.join(', ')}`)
    // The export panel is collapsed until there is something to export: open it as a person would.
    const panel = popup.locator('details.panel', { has: popup.locator('.presets') })
    if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click()
    for (const preset of ['16:9', '9:16', '1:1'] as const) {
      const toggle = popup.locator('.presets button.toggle', { hasText: preset })
      const pressed = (await toggle.getAttribute('aria-pressed')) === 'true'
      if (pressed !== presets.includes(preset)) await toggle.click()
    }
    await popup
      .getByRole('button', { name: this.messages.text('ui_export_start', [presets.length]) })
      .click()
  }

  /** Options page: pastes the user's own NemoVideo API token and waits until it is accepted. */
  async setApiToken(token: string): Promise<void> {
    this.step('options: use my NemoVideo API token')
    const page = await this.browser.openExtensionPage('options.html')
    await page.locator('#api-token').fill(token)
    await page.getByRole('button', { name: this.messages.text('opt_token_send') }).click()
    await page.getByText(this.messages.text('opt_token_sent')).waitFor({ timeout: 30_000 })
    await page.close()
  }

  /** Dispatches a click on a notification's button `index` to the extension's listener. */
  async clickNotificationButton(notificationId: string, index = 0): Promise<void> {
    this.step('notification: Download')
    const worker = await this.browser.serviceWorker()
    await worker.evaluate(
      ({ id, index }) => {
        const event = (
          chrome.notifications as unknown as {
            onButtonClicked: { dispatch(id: string, index: number): void }
          }
        ).onButtonClicked
        event.dispatch(id, index)
      },
      { id: notificationId, index },
    )
  }

  /** A PNG of the page (or one element of it) into the shots folder, when there is one. */
  async shot(target: Page | Locator, name: string): Promise<string | undefined> {
    if (!this.#shotsDir) return undefined
    await mkdir(this.#shotsDir, { recursive: true })
    const path = join(this.#shotsDir, `${name}.png`)
    await target.screenshot({ path, animations: 'disabled' })
    this.step(`screenshot ${path}`)
    return path
  }
}
