import { browser } from 'wxt/browser'

/**
 * Opens the side panel (Chrome) or the sidebar (Firefox). Both only work during a user action,
 * so call this synchronously from the click, command or message handler, before any `await`.
 * Resolves false when the browser refused (no gesture, no panel API).
 */
export function openPanel(windowId: number | undefined): Promise<boolean> {
  const b = browser as unknown as {
    sidePanel?: { open(opts: { windowId: number }): Promise<void> }
    sidebarAction?: { open(): Promise<void> }
  }
  try {
    if (b.sidePanel?.open && windowId !== undefined) {
      return b.sidePanel.open({ windowId }).then(
        () => true,
        () => false,
      )
    }
    if (b.sidebarAction?.open) {
      return b.sidebarAction.open().then(
        () => true,
        () => false,
      )
    }
  } catch {
    // A synchronous "may only be called in response to a user action".
  }
  return Promise.resolve(false)
}
