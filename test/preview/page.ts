import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium, type Browser, type Page } from 'playwright-core'
import { CHROMIUM_PATH } from '../e2e/lib/browser.ts'
import { MEDIA_BASE64 } from '../simulator/assets/media.ts'

const entry = fileURLToPath(new URL('./in-page.ts', import.meta.url))

/** extension/preview plus the page-side helpers, as one script for a blank page. */
async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'chrome120',
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}

export interface PreviewPage {
  browser: Browser
  page: Page
  close(): Promise<void>
}

/**
 * Headless Chromium on a blank page with the preview loaded as `window.preview` and the
 * simulator's media (base64) as `window.media`. Autoplay is allowed (the mixer and the player).
 */
export async function openPreviewPage(): Promise<PreviewPage> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--autoplay-policy=no-user-gesture-required', '--mute-audio'],
  })
  const page = await browser.newPage()
  await page.setContent('<!doctype html><meta charset="utf-8"><body></body>')
  await page.addScriptTag({ content: await bundle() })
  await page.evaluate((media) => window.loadMedia(media), MEDIA_BASE64)
  return { browser, page, close: () => browser.close() }
}
