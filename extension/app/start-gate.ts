/**
 * The popup's start in two waves (issue 14: popup open → chat usable, and the preview's first
 * frame). What a returning user sees first (the open chat, the preview's first frame) goes first;
 * what it does not need (the worker's calls and their key, the error table, markdown, the intent
 * router, the article capture, the encoder probe) waits for `started`: begun at once, their
 * fetches and compiles took the page's main thread and the browser's while the chat's reads and
 * the first frame were waiting for them. The gate opens once nothing held is left, and by itself
 * after START_WAIT_MS (a page with nothing held: options, tests; a frame that never comes).
 * @module
 */
const START_WAIT_MS = 800

let open = () => {}
const held = new Set<string>()

/** Resolves once the start is over. */
export const started = new Promise<void>((resolve) => {
  open = resolve
  setTimeout(resolve, START_WAIT_MS)
})

/** The start waits for `what` ('chat', 'frame') until it is released. */
export const holdStart = (what: string): void => void held.add(what)

/** `what` is on screen; the gate opens when nothing held is left. */
export function releaseStart(what?: string): void {
  if (what) held.delete(what)
  if (!held.size) open()
}
