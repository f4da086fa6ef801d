/**
 * Popup opens timed with no DevTools client on any page, as a user's popup has none (Playwright's
 * session on a page, its init scripts and each request reported to it, cost the popup about 50 ms).
 * Chromium is started on a profile the bench prepared, and the bench opens, one after another,
 * popup n and the empty page n (bench-blank.html: no style, only the chain's script) by
 * browser-level messages. Each page reports its time to a listener of the bench over HTTP: the
 * popup the moment a mark script of the bench noted in a global (`window.__usableAt`, …, from the
 * navigation's start), the empty page its load event. The bench closes it and opens the next a
 * moment later, so one page's end does not fall in the next one's load (an extension's pages share
 * one renderer process). Used by the extension benchmark (chat usable) and the preview's (first
 * frame).
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { CHROMIUM_PATH, chromiumArgs } from '../../test/e2e/lib/browser.ts'
import { freePort } from '../lib/ports.ts'
import { startGroup } from '../lib/processes.ts'
import { waitFor } from '../lib/wait.ts'

/** What the pages of one chain report: `opens` popups and as many empty pages after the first. */
export interface OpenTimes {
  reopens: number[]
  blank: number[]
}

/**
 * The pages' side, with `?chain`: reports the time (the popup: the global `mark`, once set; the
 * empty page: its load event) to `report`. The bench opens and closes the pages itself.
 */
const chainScript = (report: string, mark: string) => `(() => {
  const q = new URLSearchParams(location.search)
  if (!q.has('chain')) return
  const blank = location.pathname.endsWith('/bench-blank.html')
  const send = (ms) =>
    fetch('${report}?page=' + (blank ? 'blank' : 'popup') + '&n=' + q.get('n') + '&ms=' + ms)
  if (blank) {
    addEventListener('load', () =>
      setTimeout(() => send(performance.getEntriesByType('navigation')[0].loadEventEnd)))
    return
  }
  const wait = setInterval(() => {
    if (window.${mark} === undefined) return
    clearInterval(wait)
    send(window.${mark})
  }, 10)
})()`

/** After a page reported and was closed, the next one opens this much later (its end is over). */
const SETTLE_MS = 300

const LOADER = '<script type="module" src="/bench-open.js"></script>'

/** The empty extension page the popup's times are read against (no style, only the chain's script). */
export async function writeEmptyPage(extensionDir: string): Promise<string> {
  await writeFile(
    join(extensionDir, 'bench-blank.html'),
    `<!doctype html><title>blank</title>${LOADER}`,
  )
  return 'bench-blank.html'
}

/**
 * Writes the chain into the bench's temporary build: `markScript` (which sets `window[mark]`) and
 * the chain's script in bench-open.js, the empty page, and popup.html loading bench-open.js first.
 * A second bench on the same build replaces the scripts; popup.html is changed once.
 */
async function install(extensionDir: string, report: string, markScript: string, mark: string) {
  await writeFile(
    join(extensionDir, 'bench-open.js'),
    `${markScript};\n${chainScript(report, mark)}`,
  )
  await writeEmptyPage(extensionDir)
  const popup = join(extensionDir, 'popup.html')
  const html = await readFile(popup, 'utf8')
  if (html.includes(LOADER)) return
  if (!html.includes('<script type="module"')) throw new Error('popup.html has no module script')
  await writeFile(popup, html.replace('<script type="module"', `${LOADER}<script type="module"`))
}

/** How a bench times its popup opens with no DevTools client: see `openWithoutDevTools`. */
interface ChainOptions {
  extensionDir: string
  markScript: string
  mark: string
  opens: number
  /** The popup's hash on every open (`with-reply`), none by default. */
  hash?: string
}

/**
 * Both ways a bench times popup opens, on one temporary profile: first `withPlaywright` (the
 * bench's own opens, watched by Playwright, which also make the returning user's project), then
 * the same popup opened with no DevTools client on any page.
 */
export async function timeOpens<T extends { extensionId: string }>(
  opts: ChainOptions & { withPlaywright(profile: string): Promise<T> },
): Promise<{ attached: T; free: OpenTimes }> {
  const profile = await mkdtemp(join(tmpdir(), 'pagereel-bench-profile-'))
  try {
    const attached = await opts.withPlaywright(profile)
    const free = await openWithoutDevTools({
      ...opts,
      userDataDir: join(profile, 'user'),
      extensionId: attached.extensionId,
    })
    return { attached, free }
  } finally {
    await rm(profile, { recursive: true, force: true })
  }
}

/**
 * Chromium on `userDataDir` (the bench's own profile, made by Playwright's opens, now closed), no
 * DevTools client on any page: the bench opens each page by a browser-level message
 * (`Target.createTarget`, which attaches nothing), waits for its report, closes it, and opens the
 * next SETTLE_MS later: popup 0, empty page 0, popup 1, … The first pair, right after the
 * browser's start, is left out.
 */
async function openWithoutDevTools(
  opts: ChainOptions & { userDataDir: string; extensionId: string },
): Promise<OpenTimes> {
  const listener = await reportListener()
  const port = await freePort()
  const args = [
    ...chromiumArgs({ extensionDir: opts.extensionDir }),
    `--user-data-dir=${opts.userDataDir}`,
    `--remote-debugging-port=${port}`,
    'about:blank',
  ]
  let chromium: ReturnType<typeof startGroup> | undefined
  let browser: BrowserSocket | undefined
  try {
    await install(opts.extensionDir, listener.url, opts.markScript, opts.mark)
    chromium = startGroup(CHROMIUM_PATH, args)
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
    const origin = `chrome-extension://${opts.extensionId}/`
    await waitFor(
      "the extension's service worker",
      async () => {
        const targets = (await (
          await fetch(`http://127.0.0.1:${port}/json/list`)
        ).json()) as Array<{
          type: string
          url: string
        }>
        return targets.some((t) => t.type === 'service_worker' && t.url.startsWith(origin))
      },
      20_000,
      100,
    )
    browser = await browserSocket(version.webSocketDebuggerUrl)
    const times: OpenTimes = { reopens: [], blank: [] }
    const hash = opts.hash ? `#${opts.hash}` : ''
    for (let n = 0; n <= opts.opens; n++) {
      for (const page of ['popup', 'blank'] as const) {
        const path =
          page === 'popup' ? `popup.html?chain&n=${n}${hash}` : `bench-blank.html?chain&n=${n}`
        const reported = listener.next(page, n, 30_000)
        const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', {
          url: origin + path,
        })
        const ms = await reported
        await browser.send('Target.closeTarget', { targetId })
        await new Promise((r) => setTimeout(r, SETTLE_MS))
        if (n >= 1) (page === 'popup' ? times.reopens : times.blank).push(ms)
      }
    }
    return times
  } finally {
    browser?.close()
    listener.close()
    await chromium?.stop()
  }
}

interface BrowserSocket {
  send<T = unknown>(method: string, params: object): Promise<T>
  close(): void
}

/** The browser-level DevTools connection (no page is attached through it). */
async function browserSocket(url: string): Promise<BrowserSocket> {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true })
    socket.addEventListener('error', reject, { once: true })
  })
  let id = 0
  const pending = new Map<
    number,
    (msg: { result?: unknown; error?: { message: string } }) => void
  >()
  socket.addEventListener('message', (m) => {
    const msg = JSON.parse(String(m.data)) as {
      id?: number
      result?: unknown
      error?: { message: string }
    }
    if (msg.id !== undefined) pending.get(msg.id)?.(msg)
  })
  return {
    async send<T>(method: string, params: object) {
      const msg = await new Promise<{ result?: unknown; error?: { message: string } }>(
        (resolve) => {
          pending.set(++id, resolve)
          socket.send(JSON.stringify({ id, method, params }))
        },
      )
      if (msg.error) throw new Error(`${method}: ${msg.error.message}`)
      return msg.result as T
    },
    close: () => socket.close(),
  }
}

interface ReportListener {
  url: string
  /** Resolves with the time `page` number `n` reports. */
  next(page: 'popup' | 'blank', n: number, timeoutMs: number): Promise<number>
  close(): void
}

/** The bench's end of the chain: an HTTP listener the pages report their times to. */
async function reportListener(): Promise<ReportListener> {
  const waiting = new Map<string, (ms: number) => void>()
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://bench').searchParams
    waiting.get(`${q.get('page')}:${q.get('n')}`)?.(Number(q.get('ms')))
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    next(page, n, timeoutMs) {
      return new Promise((resolve, reject) => {
        const key = `${page}:${n}`
        const timer = setTimeout(
          () => reject(new Error(`the ${page} opened without DevTools (${n}) did not report`)),
          timeoutMs,
        )
        waiting.set(key, (ms) => {
          clearTimeout(timer)
          waiting.delete(key)
          resolve(ms)
        })
      })
    },
    close: () => server.close(),
  }
}
