import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../scripts/lib/wait.ts'
import { workerApi } from '../../scripts/lib/worker-api.ts'
import { openBrowser, e2e, type TestBrowser } from './harness.ts'

describe('the Chrome build in Debian Chromium', () => {
  let browser: TestBrowser
  beforeAll(async () => {
    browser = await openBrowser('loads', { grantSiteAccess: false })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('runs its service worker with only the permissions the manifest asks for and no host access', async () => {
    const manifest = JSON.parse(
      await readFile(join(e2e().extensionDir, 'manifest.json'), 'utf8'),
    ) as {
      manifest_version: number
      permissions: string[]
    }
    expect(manifest.manifest_version).toBe(3)
    const worker = await browser.serviceWorker()
    expect(worker.url()).toBe(browser.extensionUrl('background.js'))
    const granted = await worker.evaluate(() => chrome.permissions.getAll())
    expect([...(granted.permissions ?? [])].sort()).toEqual([...manifest.permissions].sort())
    // Host access is optional: asked for on a user gesture, never granted at install.
    expect(granted.origins ?? []).toEqual([])
  })

  it('registers with the worker on first run without asking anything, and opens only the welcome page', async () => {
    const worker = await browser.serviceWorker()
    const installation = await waitFor('the installation in storage', async () => {
      const stored = await worker.evaluate(() => chrome.storage.local.get('installation'))
      return (stored.installation ?? undefined) as
        { installationId: string; key: string } | undefined
    })
    expect(installation.installationId).toMatch(/^inst_/)
    // The worker knows this installation: its key authenticates.
    const me = await workerApi(e2e().workerUrl, { key: installation.key }).getInstallation()
    expect(me.installationId).toBe(installation.installationId)
    // Nothing asked for it: the only page the install opened is the welcome page (issue 13).
    await waitFor(
      'the welcome page',
      async () =>
        browser.context.pages().some((p) => p.url() === browser.extensionUrl('welcome.html')) ||
        undefined,
    )
    expect(
      browser.context
        .pages()
        .map((p) => p.url())
        .sort(),
    ).toEqual(['about:blank', browser.extensionUrl('welcome.html')].sort())
  })
})
