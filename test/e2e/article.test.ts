import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2e, openBrowser, screenshotsDir, type TestBrowser } from './harness.ts'
import { Messages } from './lib/messages.ts'
import { Tour } from './lib/tour.ts'
import { waitFor } from '../../scripts/lib/wait.ts'

/** The fixture article's own images, largest candidates, in reading order (not the logo or teaser). */
const ARTICLE_IMAGES = ['img/hero-1600.jpg', 'img/coast-1200.jpg', 'img/tiles-1200.jpg']
const TITLE = 'The Lighthouse Keepers of the North Coast'
const SITE_DIR = join(import.meta.dirname, 'fixtures', 'site')

describe('an article in one action', () => {
  let browser: TestBrowser
  let tour: Tour
  let page: Page
  let messages: Messages
  beforeAll(async () => {
    const env = e2e()
    messages = new Messages(env.extensionDir)
    browser = await openBrowser('article')
    tour = new Tour({ browser, siteUrl: env.siteUrl, messages, shotsDir: screenshotsDir() })
    page = await browser.context.newPage()
    await page.goto(`${env.siteUrl}article.html`, { waitUntil: 'load' })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('"Make video from this article" becomes a project named after it: the script as the message, its images uploaded in order', async () => {
    const { sim, siteUrl } = e2e()
    await tour.menuClick(page, { menuItemId: 'make-from-article' })
    const dialog = page.locator('#pagereel-picker [role=dialog]')
    await dialog.waitFor({ state: 'visible', timeout: 15_000 })
    expect(
      await dialog
        .getByRole('textbox', { name: messages.text('article_title_label') })
        .inputValue(),
    ).toBe(TITLE)
    expect(await tour.pickerImages(page)).toEqual(ARTICLE_IMAGES.map((p) => siteUrl + p))
    const script = dialog.getByRole('textbox', { name: messages.text('article_script') })
    const short = await script.inputValue()
    expect(short.split('\n\n')[0]).toBe(
      'For more than a century, the lighthouse at Skarvik was kept by the same three families.',
    )
    // The length control: every sentence, then back to the short summary the user sends.
    await dialog.getByRole('radio', { name: messages.text('article_length_full') }).check()
    expect(await script.inputValue()).toContain('forty-one ships in a single night')
    await dialog.getByRole('radio', { name: messages.text('article_length_short') }).check()
    expect(await script.inputValue()).toBe(short)
    await tour.shot(page, 'article-picker')

    const runsBefore = (await sim.log('run_sse')).length
    const uploadsBefore = (await sim.log('upload')).length
    await dialog.getByRole('button', { name: messages.text('picker_make_video') }).click()

    const chat = await waitFor(
      'the article project to get its reply',
      async () => {
        const { chat } = await tour.stored()
        return chat.some((e) => e.kind === 'reply' && e.status === 'done') ? chat : undefined
      },
      90_000,
    )
    const prompt = `${messages.text('ui_tray_prompt_article', [TITLE, ARTICLE_IMAGES.length])}\n${messages.text('ui_tray_prompt_script', [short])}`
    expect(chat[0]).toMatchObject({ kind: 'user', text: prompt })
    expect(chat.find((e) => e.kind === 'reply')?.error).toBeUndefined()

    // What the backend got: the images, uploaded as files in reading order, then one message.
    const uploads = (await sim.log('upload')).slice(uploadsBefore)
    expect(uploads.map((u) => u.status)).toEqual(ARTICLE_IMAGES.map(() => 200))
    uploads.forEach((u, i) => {
      const size = statSync(join(SITE_DIR, ARTICLE_IMAGES[i]!)).size
      // The multipart body: the file and a few hundred bytes of headers.
      expect(u.uploadBytes).toBeGreaterThanOrEqual(size)
      expect(u.uploadBytes).toBeLessThan(size + 2048)
    })
    const runs = (await sim.log('run_sse')).slice(runsBefore)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.body).toMatchObject({ new_message: { parts: [{ text: prompt }] } })

    // The project: named after the article, its page kept.
    const worker = await browser.serviceWorker()
    const { projects } = (await worker.evaluate(() => chrome.storage.local.get('projects'))) as {
      projects: {
        currentSessionId: string
        projects: Array<{ sessionId: string; title: string; sourceUrl?: string }>
      }
    }
    const current = projects.projects.find((p) => p.sessionId === projects.currentSessionId)
    expect(current).toMatchObject({ title: TITLE, sourceUrl: `${siteUrl}article.html` })
  })
})
