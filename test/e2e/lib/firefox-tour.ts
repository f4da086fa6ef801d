/**
 * The steps a person takes with PageReel in Firefox: the same journeys as ./tour.ts, through
 * Firefox's own UI where it has one. Context menus are opened with a real right-click and their
 * items chosen in the browser's `contentAreaContextMenu`, so the extension gets the menu click
 * (and the activeTab grant) Firefox itself gives it; the sidebar is read in the browser's chrome.
 * @module
 */
import type { Page } from 'puppeteer-core'
import { waitFor } from '../../../scripts/lib/wait.ts'
import type { FirefoxExtensionBrowser } from './firefox.ts'
import type { Messages } from './messages.ts'
import { parseStoredState, type StoredState, type TrayEntry } from './stored-state.ts'
import type { MenuId } from './tour.ts'

/** The popup's size in Firefox's toolbar panel (it is opened as a tab here). */
export const POPUP_VIEWPORT = { width: 400, height: 600 }

export class FirefoxTour {
  readonly ff: FirefoxExtensionBrowser
  readonly siteUrl: string
  readonly messages: Messages

  constructor(options: { ff: FirefoxExtensionBrowser; siteUrl: string; messages: Messages }) {
    this.ff = options.ff
    this.siteUrl = options.siteUrl
    this.messages = options.messages
  }

  /** Firefox's id prefix for the add-on's menu items (its id with non-word characters as `_`). */
  get #menuPrefix(): string {
    return `${this.ff.addonId.replace(/[^a-z0-9_-]/gi, '_')}-menuitem-_`
  }

  /** Opens the demo article in a new tab. */
  async openSite(): Promise<Page> {
    return await this.ff.openPage(this.siteUrl)
  }

  /**
   * Right-clicks `selector` on `page` (the page's body at its top-left corner when null) and
   * chooses the extension's item `menuId` in the context menu Firefox opened.
   */
  async contextMenu(page: Page, selector: string | null, menuId: MenuId): Promise<void> {
    await page.bringToFront()
    if (selector) {
      const target = (await page.waitForSelector(selector))!
      await target.scrollIntoView()
      const box = await target.boundingBox()
      if (!box) throw new Error(`${selector} is not visible`)
      await page.mouse.click(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40), {
        button: 'right',
      })
    } else {
      await page.mouse.click(5, 5, { button: 'right' })
    }
    const itemId = this.#menuPrefix + menuId
    const chosen = await waitFor(
      `the context menu with ${menuId}`,
      () =>
        this.ff.chrome<string | false>(`(() => {
        const menu = document.getElementById('contentAreaContextMenu')
        const item = document.getElementById(${JSON.stringify(itemId)})
        if (menu.state !== 'open' || !item || item.hidden) return false
        // Two or more items of one add-on sit in a submenu named after it: open it as the
        // pointer would, then choose the item.
        const popup = item.parentElement
        if (popup !== menu && popup.state !== 'open') {
          popup.parentElement.openMenu(true)
          return false
        }
        popup.activateItem(item)
        return item.label
      })()`),
      10_000,
      100,
    )
    if (!chosen) throw new Error(`no ${menuId} in the context menu`)
  }

  /** The extension's item labels the context menu shows on `selector` (closed again after). */
  async contextMenuLabels(page: Page, selector: string): Promise<string[]> {
    await page.bringToFront()
    await (await page.waitForSelector(selector))!.scrollIntoView()
    await page.click(selector, { button: 'right' })
    const prefix = this.#menuPrefix
    return await waitFor(
      'the context menu',
      () =>
        this.ff.chrome<string[] | false>(`(() => {
        const menu = document.getElementById('contentAreaContextMenu')
        if (menu.state !== 'open') return false
        const labels = [...menu.querySelectorAll('menuitem')]
          .filter((i) => i.id.startsWith(${JSON.stringify(prefix)}) && !i.hidden)
          .map((i) => i.label)
        menu.hidePopup()
        return labels
      })()`),
      10_000,
      100,
    )
  }

  /** Right-click on an image, "Add to video" (or "Make video from this image"). */
  async addImage(page: Page, selector: string, action: MenuId = 'add-image'): Promise<TrayEntry> {
    const before = (await this.stored()).tray.length
    await this.contextMenu(page, selector, action)
    const items = await this.waitForTray(before + 1)
    return items[items.length - 1]!
  }

  /** Selects the text of `selector` and right-clicks it: "Make video from this text". */
  async addSelectedText(page: Page, selector: string): Promise<string> {
    const text = await page.$eval(selector, (el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      const selection = getSelection()!
      selection.removeAllRanges()
      selection.addRange(range)
      return selection.toString().replace(/\s+/g, ' ').trim()
    })
    await this.contextMenu(page, selector, 'make-from-text')
    return text
  }

  /** "Make video from images on this page": resolves once the in-page picker shows. */
  async openPicker(page: Page): Promise<void> {
    // With text selected, Firefox's menu is the selection's, not the page's.
    await page.evaluate(() => getSelection()?.removeAllRanges())
    await this.contextMenu(page, null, 'pick-images')
    // The picker lives in a shadow root: `>>>` reaches into it.
    await page.waitForSelector('#pagereel-picker >>> [role=dialog]', {
      visible: true,
      timeout: 15_000,
    })
  }

  /** The picker's images (their URLs, in order) and whether each is ticked. */
  async pickerImages(page: Page): Promise<Array<{ src: string; checked: boolean }>> {
    const labels = await page.$$('#pagereel-picker >>> label')
    return await Promise.all(
      labels.map((l) =>
        l.evaluate((label) => ({
          src: label.querySelector('img')?.src ?? '',
          checked: label.querySelector('input')?.checked ?? false,
        })),
      ),
    )
  }

  /** Clicks the picker's button named `text`. */
  async clickPickerButton(page: Page, text: string): Promise<void> {
    for (const button of await page.$$('#pagereel-picker >>> button')) {
      if ((await button.evaluate((b) => b.textContent?.trim())) === text)
        return await button.click()
    }
    throw new Error(`no "${text}" button in the picker`)
  }

  /** Everything the extension keeps in `storage.local`, read in its background. */
  async stored(): Promise<StoredState> {
    return parseStoredState(
      await this.ff.inBackground((bg) => bg.browser.storage.local.get(null), null),
    )
  }

  async waitForTray(count: number, timeoutMs = 20_000): Promise<TrayEntry[]> {
    return await waitFor(
      `${count} tray items`,
      async () => {
        const { tray } = await this.stored()
        return tray.length >= count ? tray : undefined
      },
      timeoutMs,
      300,
    )
  }

  /** Opens the popup (as a tab at the popup's size) once the app has rendered. */
  async openPopup(): Promise<Page> {
    const page = await this.ff.openExtensionPage('popup.html', '.app')
    await page.setViewport(POPUP_VIEWPORT)
    return page
  }

  /** Types into the chat's composer and sends. */
  async send(popup: Page, text: string): Promise<void> {
    await popup.waitForSelector('#composer-input:not([disabled])', { timeout: 60_000 })
    await popup.type('#composer-input', text)
    await popup.keyboard.press('Enter')
  }

  /** Clicks the button whose visible text is exactly `text`. */
  async clickButton(page: Page, text: string): Promise<void> {
    const button = await page.waitForSelector(
      `::-p-xpath(//button[normalize-space(.)=${xpathString(text)}])`,
      {
        timeout: 30_000,
      },
    )
    await button!.click()
  }

  /** The reply bubbles' state: text of each, and whether the newest is still streaming. */
  async replies(
    popup: Page,
  ): Promise<Array<{ text: string; busy: boolean; summary: string; error: string }>> {
    return await popup.$$eval('.msg-reply', (els) =>
      els.map((el) => ({
        text: el.querySelector('.msg-text')?.textContent ?? '',
        busy: el.getAttribute('aria-busy') === 'true',
        summary: el.querySelector('.msg-summary')?.textContent ?? '',
        error: el.querySelector('.notice-text')?.textContent ?? '',
      })),
    )
  }

  /** Waits for reply `count` to finish; resolves with it. */
  async waitForReplyDone(popup: Page, count: number, timeoutMs = 90_000) {
    return await waitFor(
      `reply ${count} to finish`,
      async () => {
        const replies = await this.replies(popup)
        const reply = replies[count - 1]
        return reply && !reply.busy ? reply : undefined
      },
      timeoutMs,
      200,
    )
  }

  /**
   * Waits until the newest reply streams with some text; resolves with that text. A mutation
   * observer in the page keeps the first such text it sees: polling over BiDi can miss a short
   * stream.
   */
  async waitForStreamingText(popup: Page, timeoutMs = 60_000): Promise<string> {
    await popup.evaluate(() => {
      const w = window as unknown as { __partial?: string; __partialObserver?: MutationObserver }
      w.__partial = undefined
      w.__partialObserver?.disconnect()
      const check = () => {
        const reply = [...document.querySelectorAll('.msg-reply')].at(-1)
        const text = reply?.querySelector('.msg-text')?.textContent ?? ''
        if (reply?.getAttribute('aria-busy') === 'true' && text && w.__partial === undefined) {
          w.__partial = text
          w.__partialObserver?.disconnect()
        }
      }
      w.__partialObserver = new MutationObserver(check)
      w.__partialObserver.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      })
      check()
    })
    return await waitFor(
      'a reply streaming in',
      () => popup.evaluate(() => (window as unknown as { __partial?: string }).__partial),
      timeoutMs,
      100,
    )
  }

  /** The timeline's bars (their accessible labels), once it draws some. */
  async waitForTimeline(popup: Page, timeoutMs = 30_000): Promise<string[]> {
    return await waitFor(
      'the timeline to draw segments',
      async () => {
        const bars = await popup.$$eval('.tl .tl-bar', (els) =>
          els.map((e) => e.getAttribute('aria-label') ?? ''),
        )
        return bars.length > 0 ? bars : undefined
      },
      timeoutMs,
    )
  }

  /** Selects exactly `presets` in the export panel and starts the export. */
  async exportPresets(popup: Page, presets: ReadonlyArray<'16:9' | '9:16' | '1:1'>): Promise<void> {
    await popup.$$eval('details.panel', (panels) =>
      panels.forEach((p) => ((p as HTMLDetailsElement).open = true)),
    )
    for (const preset of ['16:9', '9:16', '1:1'] as const) {
      const toggle = await popup.waitForSelector(
        `::-p-xpath(//*[contains(@class,"presets")]//button[contains(@class,"toggle")][contains(.,${xpathString(preset)})])`,
      )
      const pressed = (await toggle!.evaluate((b) => b.getAttribute('aria-pressed'))) === 'true'
      if (pressed !== presets.includes(preset)) await toggle!.click()
    }
    await this.clickButton(popup, this.messages.text('ui_export_start', [presets.length]))
  }

  /** Whether the sidebar shows the extension's panel, and its URL (read in the browser's chrome). */
  async sidebar(): Promise<{ open: boolean; url: string }> {
    return await this.ff.chrome(`(() => ({
      open: SidebarController.isOpen,
      url: document.getElementById('sidebar')?.contentDocument
        ?.getElementById('webext-panels-browser')?.currentURI?.spec ?? '',
    }))()`)
  }
}

/** An XPath string literal for any text (quotes included). */
export function xpathString(text: string): string {
  if (!text.includes('"')) return `"${text}"`
  return `concat(${text
    .split('"')
    .map((part) => `"${part}"`)
    .join(`, '"', `)})`
}
