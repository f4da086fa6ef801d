import '../../utils/zod-jitless.ts'
import { browser } from 'wxt/browser'
import { fetchMediaFor } from '../../render/fetch-media.ts'
import { RendererCommand, type RendererReply } from '../../render/render-messages.ts'
import { createRenderer } from '../../render/renderer.ts'

// Chrome's offscreen document for the export on this device: it has `runtime` only, so it renders
// what the background asks and reports back by message (see background/render-here.ts).
const renderer = createRenderer({
  report: (event) => void browser.runtime.sendMessage(event).catch(() => {}),
  fetchMediaFor,
})

browser.runtime.onMessage.addListener(
  (raw: unknown, _sender, sendResponse: (reply: RendererReply) => void) => {
    if (!raw || typeof raw !== 'object' || !('target' in raw) || raw.target !== 'renderer')
      return false
    const cmd = RendererCommand.safeParse(raw)
    if (!cmd.success) return false
    renderer
      .handle(cmd.data)
      .then(sendResponse, (err: unknown) =>
        sendResponse({ ok: false, message: err instanceof Error ? err.message : String(err) }),
      )
    return true
  },
)
