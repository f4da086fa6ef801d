/**
 * Extension figures, on the Chrome MV3 build made against the bench's worker:
 * - popup JS gzip size: popup.html's module script, its modulepreloads and, recursively, their
 *   static imports, each gzipped with node:zlib's default level and summed: what a user's browser
 *   loads and parses before the popup's first paint. Lazily imported chunks (the bundled messages,
 *   the error table, the stream reader, the uploaders…) do not count; `npm run build` fails past
 *   the same budget (scripts/check-popup-size.ts).
 * - time to usable: Debian's Chromium, headless, with the extension loaded (test/e2e/lib/browser.ts,
 *   the e2e suite's launcher) opens `popup.html` in a tab; a script notes performance.now() (whose
 *   origin is the navigation's start) when the chat is usable (see MARK_USABLE). The first open is
 *   on a fresh profile, driven by Playwright; it sends one message, so the later opens restore a
 *   project and its chat, as a returning user's popup does. The budget's figure is then taken with
 *   no DevTools client attached to any page, as a user's popup has none: Chromium is started again
 *   on the same profile, one browser-level message opens the first popup, and the pages open each
 *   other (popup n, then the empty page n, then popup n + 1, by `chrome.tabs.create`), each
 *   reporting its time to a listener of the bench over HTTP (OPEN_CHAIN, written into the temporary
 *   build with the empty page, bench-blank.html: no style, only that script). Median and p95 of
 *   REOPENS opens, and their ratio to the empty page's load event. Playwright's own opens (its
 *   DevTools session on every page: init scripts, each request reported) are measured too, as
 *   an informative figure: they cost the popup about 50 ms more, the empty page almost nothing.
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import type { Page } from 'playwright-core'
import { CHROMIUM_PATH, chromiumArgs, launchExtensionBrowser } from '../../test/e2e/lib/browser.ts'
import { freePort } from '../lib/ports.ts'
import { startGroup } from '../lib/processes.ts'
import { waitFor } from '../lib/wait.ts'
import { firstPaintScripts, POPUP_GZIP_BUDGET_BYTES, totalOf } from '../lib/popup-size.ts'
import type { Figure } from './figures.ts'
import { median, quantile, round } from './stats.ts'

const USABLE_TARGET_MS = 150
const REOPENS = 15
const COMPOSER = '#composer-input'

/**
 * Marks the moment the chat is usable, from the very start of the page: the message box exists and
 * is enabled and, when the URL's hash is `#with-reply` (a returning user), the project's last reply
 * is on screen. The box is briefly enabled before the saved project is read from storage (no chat
 * yet), then disabled while its chat loads: that first moment is not "usable" for a returning user.
 */
const MARK_USABLE = `(() => {
  if (location.protocol !== 'chrome-extension:' || !location.pathname.endsWith('/popup.html')) return
  const needsReply = location.hash === '#with-reply'
  const check = () => {
    const box = document.querySelector('${COMPOSER}')
    if (!box || box.disabled || window.__usableAt !== undefined) return
    if (needsReply && !document.querySelector('.msg-reply .msg-text')) return
    window.__usableAt = performance.now()
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true })
})()`

/**
 * The pages' side of the DevTools-free opens, loaded first by popup.html and bench-blank.html in
 * the temporary build: with `?chain`, reports the time (the popup: usable, as MARK_USABLE marks
 * it; the empty page: its load event) to `REPORT`, then opens the next page and closes itself.
 */
const OPEN_CHAIN = `(() => {
  const q = new URLSearchParams(location.search)
  if (!q.has('chain')) return
  const n = Number(q.get('n'))
  const blank = location.pathname.endsWith('/bench-blank.html')
  const next = blank ? 'popup.html?chain&n=' + (n + 1) + '#with-reply' : 'bench-blank.html?chain&n=' + n
  const report = (ms) =>
    fetch('REPORT?page=' + (blank ? 'blank' : 'popup') + '&n=' + n + '&ms=' + ms)
      .catch(() => {})
      .then(() => chrome.tabs.create({ url: next }))
      .finally(() => window.close())
  if (blank) {
    addEventListener('load', () =>
      setTimeout(() => report(performance.getEntriesByType('navigation')[0].loadEventEnd)))
    return
  }
  const wait = setInterval(() => {
    if (window.__usableAt === undefined) return
    clearInterval(wait)
    report(window.__usableAt)
  }, 10)
})()`

export async function benchExtension(extensionDir: string): Promise<Figure[]> {
  const js = await firstPaintScripts(extensionDir, 'popup.html')
  const { raw, gzip: gzipped } = totalOf(js)
  const timing = await timeToUsable(extensionDir)
  const med = median(timing.reopens)
  const p95 = quantile(timing.reopens, 0.95)
  const base = median(timing.blank)
  const attached = median(timing.attached.reopens)
  return [
    {
      name: 'extension: popup JS before first paint, gzip',
      value: round(gzipped / 1024),
      unit: 'KB',
      target: `≤ ${POPUP_GZIP_BUDGET_BYTES / 1024} KB`,
      met: gzipped <= POPUP_GZIP_BUDGET_BYTES,
      detail: `${js.length} files, ${round(raw / 1024)} KB raw: ${js.map((f) => `${f.file} ${round(f.gzip / 1024)} KB`).join(', ')}`,
    },
    {
      name: 'extension: popup open to chat usable, median',
      value: round(med),
      unit: 'ms',
      target: `≤ ${USABLE_TARGET_MS} ms`,
      met: med <= USABLE_TARGET_MS,
      detail: `${REOPENS} reopens of a project with no DevTools client attached, usable = box enabled and the last reply shown; ratio ${round(med / base)} to an empty extension page (${round(base)} ms); first open on a fresh profile ${round(timing.first)} ms`,
    },
    {
      name: 'extension: popup open to chat usable, p95',
      value: round(p95),
      unit: 'ms',
      target: '(informative)',
      detail: `ratio ${round(p95 / quantile(timing.blank, 0.95))} to the empty page's p95`,
    },
    {
      name: 'extension: popup open to chat usable, opened by Playwright, median',
      value: round(attached),
      unit: 'ms',
      target: '(informative)',
      detail: `the same ${REOPENS} reopens with Playwright's DevTools session on each page; its empty page ${round(median(timing.attached.blank))} ms`,
    },
  ]
}

interface OpenTimes {
  reopens: number[]
  blank: number[]
}

async function timeToUsable(
  extensionDir: string,
): Promise<{ first: number; attached: OpenTimes } & OpenTimes> {
  const listener = await openChainListener()
  await writeFile(
    join(extensionDir, 'bench-open.js'),
    MARK_USABLE + ';\n' + OPEN_CHAIN.replace('REPORT', listener.url),
  )
  const loader = '<script type="module" src="/bench-open.js"></script>'
  await writeFile(
    join(extensionDir, 'bench-blank.html'),
    `<!doctype html><title>blank</title>${loader}`,
  )
  const popup = join(extensionDir, 'popup.html')
  const html = await readFile(popup, 'utf8')
  if (!html.includes('<script type="module"')) throw new Error('popup.html has no module script')
  await writeFile(popup, html.replace('<script type="module"', `${loader}<script type="module"`))
  const profile = await mkdtemp(join(tmpdir(), 'pagereel-bench-profile-'))
  try {
    const attached = await openWithPlaywright(extensionDir, profile)
    const free = await openWithoutDevTools(extensionDir, profile, attached.extensionId, listener)
    return { first: attached.first, attached, ...free }
  } finally {
    listener.close()
    await rm(profile, { recursive: true, force: true })
  }
}

/**
 * The first open on a fresh profile (it sends a message) and REOPENS more, each page opened and
 * watched by Playwright (its DevTools session attached).
 */
async function openWithPlaywright(
  extensionDir: string,
  profile: string,
): Promise<{ first: number; extensionId: string } & OpenTimes> {
  const browser = await launchExtensionBrowser({
    extensionDir,
    userDataDir: join(profile, 'user'),
    downloadsDir: join(profile, 'downloads'),
  })
  try {
    await browser.context.addInitScript({ content: MARK_USABLE })
    // Registration with the worker runs in the service worker on install; let it finish first.
    await browser.serviceWorker()
    await new Promise((r) => setTimeout(r, 1500))
    const firstPage = await browser.context.newPage()
    const first = await openAndTime(firstPage, browser.extensionUrl('popup.html'))
    await firstPage.fill(COMPOSER, 'hello')
    await firstPage.press(COMPOSER, 'Enter')
    // The reply's end enables the box again.
    await firstPage.waitForFunction(
      (sel) => {
        const box = document.querySelector<HTMLTextAreaElement>(sel)
        const reply = document.querySelector('.msg-reply[aria-busy="false"] .msg-text')
        return Boolean(box && !box.disabled && reply)
      },
      COMPOSER,
      { timeout: 30_000 },
    )
    await firstPage.close()
    const reopens: number[] = []
    const blank: number[] = []
    for (let i = 0; i < REOPENS; i++) {
      const page = await browser.context.newPage()
      reopens.push(await openAndTime(page, browser.extensionUrl('popup.html#with-reply')))
      await page.close()
      const empty = await browser.context.newPage()
      await empty.goto(browser.extensionUrl('bench-blank.html'), { waitUntil: 'load' })
      blank.push(
        await empty.evaluate(
          () =>
            (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
              .loadEventEnd,
        ),
      )
      await empty.close()
    }
    return { first, reopens, blank, extensionId: browser.extensionId }
  } finally {
    await browser.close().catch(() => undefined)
  }
}

/**
 * Chromium again on the same profile, with no DevTools client on any page: one browser-level
 * message opens the first popup, then the pages open each other (OPEN_CHAIN). The first pair,
 * right after the browser's start, is left out.
 */
async function openWithoutDevTools(
  extensionDir: string,
  profile: string,
  extensionId: string,
  listener: OpenChainListener,
): Promise<OpenTimes> {
  const port = await freePort()
  const args = [
    ...chromiumArgs({ extensionDir }),
    `--user-data-dir=${join(profile, 'user')}`,
    `--remote-debugging-port=${port}`,
    'about:blank',
  ]
  const chromium = startGroup(CHROMIUM_PATH, args)
  try {
    const version = await waitFor(
      "Chromium's DevTools endpoint",
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/json/version`)
        return res.ok && ((await res.json()) as { webSocketDebuggerUrl: string })
      },
      20_000,
      100,
    )
    // The extension is loaded once its service worker is listed (listing attaches nothing).
    await waitFor(
      "the extension's service worker",
      async () => {
        const targets = (await (
          await fetch(`http://127.0.0.1:${port}/json/list`)
        ).json()) as Array<{
          type: string
          url: string
        }>
        return targets.some(
          (t) =>
            t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
        )
      },
      20_000,
      100,
    )
    const socket = new WebSocket(version.webSocketDebuggerUrl)
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true })
      socket.addEventListener('error', reject, { once: true })
    })
    const url = `chrome-extension://${extensionId}/popup.html?chain&n=0#with-reply`
    socket.send(JSON.stringify({ id: 1, method: 'Target.createTarget', params: { url } }))
    await new Promise((resolve) => socket.addEventListener('message', resolve, { once: true }))
    socket.close()
    const times = await listener.collect(REOPENS + 1, 60_000)
    const of = (page: string) =>
      times.filter((t) => t.page === page && t.n >= 1 && t.n <= REOPENS).map((t) => t.ms)
    return { reopens: of('popup'), blank: of('blank') }
  } finally {
    await chromium.stop()
  }
}

interface OpenChainListener {
  url: string
  /** Resolves with every report once `pairs` popups and empty pages have reported. */
  collect(pairs: number, timeoutMs: number): Promise<Array<{ page: string; n: number; ms: number }>>
  close(): void
}

/** The bench's end of OPEN_CHAIN: an HTTP listener the pages report their times to. */
async function openChainListener(): Promise<OpenChainListener> {
  const times: Array<{ page: string; n: number; ms: number }> = []
  let wake = () => {}
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://bench').searchParams
    times.push({ page: q.get('page') ?? '', n: Number(q.get('n')), ms: Number(q.get('ms')) })
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end()
    wake()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    async collect(pairs, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      const complete = () =>
        ['popup', 'blank'].every((p) => times.filter((t) => t.page === p).length >= pairs)
      while (!complete()) {
        if (Date.now() > deadline)
          throw new Error(`the pages opened without DevTools reported ${times.length} times`)
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, 500)
        })
      }
      return times
    },
    close: () => server.close(),
  }
}

/** Navigates and returns the page's own time (from navigation start) to a usable chat. */
async function openAndTime(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' })
  type Marks = { __usableAt?: number }
  await page.waitForFunction(() => (window as Marks).__usableAt !== undefined, undefined, {
    timeout: 20_000,
  })
  return await page.evaluate(() => (window as Marks).__usableAt!)
}
