import { signal } from '@preact/signals'
import { started } from '../app/start-gate.ts'
import type { renderMarkdown as Render } from './markdown-render.tsx'

/** The markdown renderer once its chunk has loaded (marked is not in the popup's first paint). */
const renderer = signal<typeof Render | null>(null)
let loading: Promise<void> | undefined

/** Starts loading the renderer; resolves once replies can be drawn as markdown. */
export function loadMarkdown(): Promise<void> {
  loading ??= import('./markdown-render.tsx').then(
    (m) => void (renderer.value = m.renderMarkdown),
    () => {
      // Offline or a stale build: replies stay plain text, the next reply tries again.
      loading = undefined
    },
  )
  return loading
}

/**
 * A reply's text: plain while the renderer loads (once the chat is on screen: a returning user's
 * popup shows its last reply before the renderer's chunk arrives), then markdown as Preact elements.
 */
export function ReplyText({ text }: { text: string }) {
  const render = renderer.value
  if (!render) {
    void started.then(loadMarkdown)
    return <p class="msg-text">{text}</p>
  }
  return <div class="msg-text md">{render(text)}</div>
}
