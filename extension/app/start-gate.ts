/**
 * The popup's start in two waves (issue 14, popup open → chat usable). What the open chat needs
 * (its storage reads, the first render, the preview's engine) goes first; what it does not (the
 * worker's calls and their key, the error table, markdown, the intent router, the article capture,
 * the encoder probe) waits for `started`: begun at once, their fetches and compiles took the
 * page's main thread and the browser's while the chat's reads were waiting for them.
 * `markStarted` opens the gate once the chat is on screen; it opens by itself after
 * START_WAIT_MS (a page without a chat: options, tests).
 * @module
 */
const START_WAIT_MS = 400

let open = () => {}

/** Resolves once the start is over (the open chat shown, or START_WAIT_MS passed). */
export const started = new Promise<void>((resolve) => {
  open = resolve
  setTimeout(resolve, START_WAIT_MS)
})

/** The open chat is on screen: the second wave may go. */
export const markStarted = (): void => open()

/** Runs `fn` once the start is over. */
export const afterStart = (fn: () => unknown): void => void started.then(fn)
