/**
 * Debian's Firefox ESR with the Firefox MV3 build, driven over WebDriver BiDi by puppeteer-core.
 * The extension is a temporary install (no signing) with a fixed UUID, so its pages have known
 * `moz-extension://` URLs. Browser UI (the context menu, the sidebar, notifications) lives in the
 * browser's chrome window: `--remote-allow-system-access` lets BiDi evaluate there, so the suite
 * right-clicks and picks menu items as a person does instead of calling the extension's listeners.
 * @module
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { waitFor } from '../../../scripts/lib/wait.ts'

/** Debian's Firefox ESR; nothing is ever downloaded. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'

export interface FirefoxOptions {
  /** The unpacked Firefox MV3 build (has manifest.json with a gecko id). */
  extensionDir: string
  /** Where downloads land without asking. */
  downloadsDir: string
  /**
   * Host patterns the user has already granted (the optional host permission), e.g.
   * `http://127.0.0.1/*`: headless Firefox cannot click a permission doorhanger, so the grant is
   * recorded the way an accepted prompt records it.
   */
  grantOrigins?: string[]
}

/** Firefox with the extension installed, and the handles the suite drives it through. */
export interface FirefoxExtensionBrowser {
  browser: Browser
  /** The extension's fixed internal UUID (the host of its pages). */
  uuid: string
  /** The gecko id from the manifest. */
  addonId: string
  /** `moz-extension://<uuid>/<path>`. */
  extensionUrl(path: string): string
  /** Opens a web page in a new tab and waits for its load event. */
  openPage(url: string): Promise<Page>
  /**
   * Opens an extension page in a new tab and waits for `ready` (a selector) in it: Firefox never
   * reports the load of a `moz-extension://` navigation to BiDi, so the page's own readiness is
   * the signal.
   */
  openExtensionPage(path: string, ready?: string): Promise<Page>
  /**
   * Runs `fn` in the extension's background page (its event page, woken if it was idle), through
   * a short-lived extension tab: the background is a page of the extension's origin there.
   */
  inBackground<A, R>(fn: (bg: BackgroundGlobal, arg: A) => R | Promise<R>, arg: A): Promise<R>
  /** Evaluates `expression` in the browser's chrome window (system privileges); JSON result. */
  chrome<R>(expression: string): Promise<R>
  /** The notifications showing now: Firefox's alert windows, title and message. */
  notifications(): Promise<ShownAlert[]>
  /** Clicks the showing notification whose title is `title`, as a person does. */
  clickNotification(title: string): Promise<void>
  /** Extension pages open in tabs now. */
  extensionPages(): Promise<Page[]>
  /** Closes every extension tab: the user walked away. */
  closeExtensionPages(): Promise<void>
  close(): Promise<void>
}

/** A notification as Firefox shows it. */
export interface ShownAlert {
  title: string
  message: string
}

/** Chrome-scope JS: the open alert windows. */
const ALERT_WINDOWS = `[...Services.wm.getEnumerator('alert:alert')].filter((w) => !w.closed)`

/** The background page's global as the suite touches it (Firefox's `browser` namespace). */
export type BackgroundGlobal = typeof globalThis & {
  browser: FirefoxExtensionApi
  __shown?: unknown[]
}

/** The slice of Firefox's `browser.*` API the suite calls in extension contexts. */
export interface FirefoxExtensionApi {
  runtime: { getBackgroundPage(): Promise<BackgroundGlobal>; getURL(path: string): string }
  storage: { local: { get(keys?: string | string[] | null): Promise<Record<string, unknown>> } }
  notifications: {
    getAll(): Promise<Record<string, unknown>>
    create(...args: unknown[]): Promise<string>
  }
  downloads: {
    search(
      query: object,
    ): Promise<
      Array<{ id: number; filename: string; state: string; error?: string; fileSize: number }>
    >
  }
  permissions: { getAll(): Promise<{ permissions?: string[]; origins?: string[] }> }
}

/** Launches Firefox on a fresh profile and installs the extension. */
export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxExtensionBrowser> {
  const manifest = JSON.parse(
    await readFile(join(options.extensionDir, 'manifest.json'), 'utf8'),
  ) as {
    browser_specific_settings?: { gecko?: { id?: string } }
  }
  const addonId = manifest.browser_specific_settings?.gecko?.id
  if (!addonId) throw new Error(`${options.extensionDir} is not a Firefox build (no gecko id)`)
  const uuid = randomUUID()
  await mkdir(options.downloadsDir, { recursive: true })
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // FF_DEBUG=1: the browser's and the extension's console on this process's stderr.
    dumpio: Boolean(process.env.FF_DEBUG),
    args: ['--remote-allow-system-access'],
    defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }),
      // Downloads go to the run's folder without a dialog, under the extension's file name.
      'browser.download.folderList': 2,
      'browser.download.dir': options.downloadsDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
      // The extension's UI language follows the browser's: keep the suite in English.
      'intl.locale.requested': 'en-US',
      // Notifications as Firefox's own alert windows, which headless Firefox opens like any
      // window (the system backend has no desktop to show them on).
      'alerts.useSystemBackend': false,
      ...(process.env.FF_DEBUG && {
        'devtools.console.stdout.chrome': true,
        'devtools.console.stdout.content': true,
      }),
    },
  })
  const prefix = `moz-extension://${uuid}/`
  const extensionUrl = (path: string) => prefix + path.replace(/^\//, '')
  try {
    await browser.installExtension(options.extensionDir)
  } catch (error) {
    await browser.close()
    throw error
  }
  const chrome = async <R>(expression: string): Promise<R> =>
    await evaluateInChrome<R>(browser, expression)
  if (options.grantOrigins?.length) await grantOrigins(chrome, addonId, options.grantOrigins)

  const openExtensionPage = async (path: string, ready = 'body') => {
    const page = await browser.newPage()
    // The navigation's promise never settles (or rejects when the tab closes): not awaited.
    page.goto(extensionUrl(path)).catch(() => undefined)
    // Polled from here: an evaluation that meets the navigation fails, and is simply retried.
    const url = extensionUrl(path).split(/[?#]/)[0]!
    await waitFor(
      `${path} to be ready`,
      () =>
        page.evaluate(
          (url: string, ready: string) =>
            location.href.startsWith(url) &&
            document.readyState === 'complete' &&
            !!document.querySelector(ready),
          url,
          ready,
        ),
      15_000,
      100,
    )
    return page
  }
  // A tab the extension opened (its options) may still say about:blank to puppeteer, which never
  // saw that navigation end: the page itself says where it is.
  const extensionPages = async () => {
    const pages: Page[] = []
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => page.url())
      if (href.startsWith(prefix)) pages.push(page)
    }
    return pages
  }

  return {
    browser,
    uuid,
    addonId,
    extensionUrl,
    async openPage(url) {
      const page = await browser.newPage()
      await page.goto(url, { waitUntil: 'load' })
      return page
    },
    openExtensionPage,
    async inBackground(fn, arg) {
      const page = await openExtensionPage('options.html')
      try {
        // A string, not a function: the callback and its argument are composed here, and the
        // extension page's CSP forbids building code in the page.
        return (await page.evaluate(`(async () => {
          const bg = await browser.runtime.getBackgroundPage()
          return await (${fn.toString()})(bg, ${JSON.stringify(arg) ?? 'undefined'})
        })()`)) as Awaited<ReturnType<typeof fn>>
      } finally {
        await page.close()
      }
    },
    chrome,
    async notifications() {
      return await chrome<ShownAlert[]>(`${ALERT_WINDOWS}.map((w) => ({
        title: w.document.getElementById('alertTitleLabel')?.value ?? '',
        message: w.document.getElementById('alertTextLabel')?.textContent ?? '',
      }))`)
    },
    async clickNotification(title) {
      const clicked = await chrome<boolean>(`(() => {
        const w = ${ALERT_WINDOWS}.find(
          (w) => w.document.getElementById('alertTitleLabel')?.value === ${JSON.stringify(title)})
        if (!w) return false
        w.document.getElementById('alertTextLabel').click()
        return true
      })()`)
      if (!clicked) throw new Error(`no notification "${title}" is showing`)
    },
    extensionPages,
    async closeExtensionPages() {
      for (const page of await extensionPages()) await page.close()
    },
    close: () => browser.close(),
  }
}

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>
}

/** The browser window's chrome context (browser.xhtml), found once per call. */
async function evaluateInChrome<R>(browser: Browser, expression: string): Promise<R> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' }))
    .result as {
    contexts: Array<{ context: string; url: string }>
  }
  const window = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml')
  if (!window) throw new Error('no browser window in the chrome scope')
  // The value crosses as JSON: BiDi's own serialisation would not carry DOM nodes anyway.
  const reply = (
    await connection.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression}) ?? null))()`,
      target: { context: window.context },
      awaitPromise: true,
      resultOwnership: 'none',
    })
  ).result as { type: string; result?: { value?: string }; exceptionDetails?: { text?: string } }
  if (reply.type !== 'success') {
    throw new Error(`chrome evaluation failed: ${reply.exceptionDetails?.text ?? 'unknown error'}`)
  }
  return JSON.parse(reply.result?.value ?? 'null') as R
}

/** Records `origins` as granted to the add-on, as accepting its permission prompt does. */
async function grantOrigins(
  chrome: (expression: string) => Promise<unknown>,
  addonId: string,
  origins: string[],
): Promise<void> {
  await chrome(`(async () => {
    const { ExtensionPermissions } = ChromeUtils.importESModule(
      'resource://gre/modules/ExtensionPermissions.sys.mjs')
    const policy = WebExtensionPolicy.getByID(${JSON.stringify(addonId)})
    await ExtensionPermissions.add(${JSON.stringify(addonId)},
      { permissions: [], origins: ${JSON.stringify(origins)} }, policy.extension)
  })()`)
}
