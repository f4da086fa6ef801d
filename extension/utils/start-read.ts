import { browser, type Browser } from 'wxt/browser'

/**
 * The storage a returning user's first screen reads, asked in one `get` by the page's first script
 * (entrypoints/start-read.ts, an `async` script of popup.html and sidepanel.html) while the app's
 * own modules are still being fetched, compiled and run. Asked by the app once its modules had run,
 * the reads answered only after the app had nothing left to do but wait for them (issue 14: popup
 * open -> chat usable). During the page's start, a read of one of these keys (defineParsedItem) is
 * answered from that one `get`, unless the key changed since, in this page or another.
 * @module
 */

/**
 * The open project's id as this page last saw it, in the page's own localStorage (app-state.ts
 * keeps it): its chat is read with the rest instead of after the projects.
 */
export const OPEN_HINT = 'pagereel:open-session'

/**
 * What the app reads before its chat is usable, by name in storage.local: the items of
 * utils/storage.ts, last-state.ts and render/local-renders-item.ts (a test checks the names), and
 * the hinted project's chat.
 */
export const START_KEYS = [
  'settings',
  'projects',
  'last-states',
  'jobs',
  'pending-exports',
  'tray',
  'pending-intent',
  'local-renders',
] as const

/** The start's one read, shared through the page's global scope: the two scripts are two bundles. */
interface StartRead {
  read: Promise<Record<string, unknown>>
  /** The keys still answered from `read`: a change, or the end of the start, takes them out. */
  fresh: Set<string>
  stop(): void
}
const GLOBAL = '__pagereelStartRead'
const scope = globalThis as { [GLOBAL]?: StartRead }

/** The hinted project, or null (no hint, or no localStorage in this context). */
export function openHint(): string | null {
  try {
    return globalThis.localStorage?.getItem(OPEN_HINT) ?? null
  } catch {
    return null
  }
}

/** Remembers the open project for the next open's start read. */
export function setOpenHint(id: string): void {
  try {
    globalThis.localStorage?.setItem(OPEN_HINT, id)
  } catch {
    // No localStorage here (a sandboxed context): the chat is read after the projects.
  }
}

/** Asks storage for what the start reads; run once, by the page's first script. */
export function beginStartRead(): void {
  const hinted = openHint()
  const fresh = new Set<string>([...START_KEYS, ...(hinted ? [`chat:${hinted}`] : [])])
  // Before the `get`: a change from here on, in any context, is not answered from it.
  const onChanged = (changes: Record<string, Browser.storage.StorageChange>) => {
    for (const name of Object.keys(changes)) fresh.delete(name)
  }
  browser.storage.local.onChanged.addListener(onChanged)
  const read = browser.storage.local.get([...fresh])
  // A failed read leaves each item to read itself.
  read.catch(() => fresh.clear())
  scope[GLOBAL] = {
    read,
    fresh,
    stop: () => browser.storage.local.onChanged.removeListener(onChanged),
  }
}

/**
 * The stored value of `name` from the start's read, or undefined when the start's read does not
 * answer it (not one of its keys, changed since, the start over, or no start read on this page).
 */
export function startValue(name: string): Promise<unknown> | undefined {
  const start = scope[GLOBAL]
  if (!start?.fresh.has(name)) return undefined
  return start.read.then((all) => all[name])
}

/** This page writes `name`: later reads ask storage. */
export function forgetStartValue(name: string): void {
  scope[GLOBAL]?.fresh.delete(name)
}

/** The start is over: every read asks storage again. */
export function endStartRead(): void {
  const start = scope[GLOBAL]
  if (!start) return
  start.fresh.clear()
  start.stop()
}
