import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'

/** A notification as the extension created it (read back from its service worker). */
export interface ShownNotification {
  id: string
  title: string
  message: string
  buttons: string[]
  iconUrl?: string
}

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)

/**
 * Headless Chromium shows no OS notification to capture, so the README's picture is a small HTML
 * rendering of the one the extension raised: its icon, title, message and buttons, as read back
 * from the extension. Writes a PNG to `file`.
 */
export async function screenshotNotification(
  context: BrowserContext,
  extensionDir: string,
  n: ShownNotification,
  file: string,
): Promise<void> {
  let icon = ''
  try {
    const path = n.iconUrl?.replace(/^chrome-extension:\/\/[^/]+\//, '') || 'icons/128.png'
    icon = `data:image/png;base64,${(await readFile(join(extensionDir, path))).toString('base64')}`
  } catch {
    // No icon in the build: the card goes without.
  }
  const page = await context.newPage()
  try {
    await page.setViewportSize({ width: 420, height: 180 })
    await page.setContent(`<!doctype html><meta charset="utf-8"><style>
      body { margin: 0; padding: 16px; background: #e8eaed; font: 13px/1.4 system-ui, sans-serif; }
      .card { background: #fff; border-radius: 8px; box-shadow: 0 2px 8px #0003; width: 380px; }
      .head { display: flex; gap: 12px; padding: 14px 16px 10px; }
      .head img { width: 40px; height: 40px; }
      .title { font-weight: 600; color: #202124; } .msg { color: #5f6368; }
      .buttons { border-top: 1px solid #dadce0; display: flex; }
      .buttons span { padding: 10px 16px; color: #1a73e8; font-weight: 500; }
    </style><div class="card" id="card"><div class="head">${icon ? `<img src="${icon}">` : ''}
      <div><div class="title">${escape(n.title)}</div><div class="msg">${escape(n.message)}</div></div></div>
      ${n.buttons.length ? `<div class="buttons">${n.buttons.map((b) => `<span>${escape(b)}</span>`).join('')}</div>` : ''}
    </div>`)
    await page.locator('#card').screenshot({ path: file })
  } finally {
    await page.close()
  }
}
