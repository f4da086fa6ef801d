import { access, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core'
import type {} from './chrome-api.ts'

/** Debian's Chromium; nothing is ever downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface BrowserOptions {
  /** The unpacked Chrome MV3 build. */
  extensionDir: string
  /** The profile; relaunching with the same one is a browser restart. */
  userDataDir: string
  /** Where downloads land (the profile's download directory; the extension's file name is kept). */
  downloadsDir: string
  /** A visible window (needs DISPLAY); headless (`--headless=new`) otherwise. */
  headed?: boolean
  /**
   * Host patterns the user has already granted the extension (its optional host permission), e.g.
   * `http://127.0.0.1/*`. A headless browser cannot click a permission prompt or a real context
   * menu (whose activeTab grant lets the extension script the page), so the grant is written into
   * the profile the way Chromium keeps an accepted prompt.
   */
  grantOrigins?: string[]
}

/** Chromium with the extension loaded, and the handles the tour drives it through. */
export interface ExtensionBrowser {
  context: BrowserContext
  extensionId: string
  /** `chrome-extension://<id>/<path>`. */
  extensionUrl(path: string): string
  /** The extension's running service worker (waits for it to start if it is not running). */
  serviceWorker(): Promise<Worker>
  /** Opens an extension page (popup.html, sidepanel.html, options.html) in a new tab. */
  openExtensionPage(path: string): Promise<Page>
  /** Closes every open extension page (popup, panel, options): the user walked away. */
  closeExtensionPages(): Promise<void>
  close(): Promise<void>
}

/**
 * Launches Chromium on a persistent profile with the extension loaded. Playwright's own defaults
 * disable extensions and rename downloads; both are undone here.
 */
export async function launchExtensionBrowser(options: BrowserOptions): Promise<ExtensionBrowser> {
  const grants = options.grantOrigins ?? []
  if (grants.length && !(await hasGrantedOrigins(options.userDataDir, grants))) {
    // First run of this profile: install the extension, then record the user's grant.
    const first = await launchOnce(options)
    await first.close()
    await grantOrigins(options.userDataDir, first.extensionId, grants)
  }
  return await launchOnce(options)
}

/** The flags every launch of Chromium with the extension gets (the profile is passed apart). */
export function chromiumArgs(options: Pick<BrowserOptions, 'extensionDir' | 'headed'>): string[] {
  return [
    ...(options.headed ? [] : ['--headless=new']),
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // The extension's UI language follows the browser's: keep the tour in English.
    '--lang=en-US',
    `--disable-extensions-except=${options.extensionDir}`,
    `--load-extension=${options.extensionDir}`,
  ]
}

async function launchOnce(options: BrowserOptions): Promise<ExtensionBrowser> {
  await mkdir(options.downloadsDir, { recursive: true })
  await writeDownloadPrefs(options.userDataDir, options.downloadsDir)
  const context = await chromium.launchPersistentContext(options.userDataDir, {
    executablePath: CHROMIUM_PATH,
    // Playwright's `headless: true` adds its own flags; the brief's flag set is passed as is.
    headless: false,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: chromiumArgs(options),
    viewport: { width: 1280, height: 900 },
  })
  // Back to the browser's own download handling: the profile's directory and the file name the
  // extension chose (Playwright's "allowAndName" would save under a random GUID).
  const blank = context.pages()[0] ?? (await context.newPage())
  const cdp = await context.newCDPSession(blank)
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' })
  await cdp.detach()

  const worker = await firstServiceWorker(context).catch(async (error: Error) => {
    await context.close()
    const missing = await missingManifestFiles(options.extensionDir)
    throw new Error(
      `the extension's service worker did not start (${error.message})` +
        (missing.length ? `; the manifest names files the build lacks: ${missing.join(', ')}` : ''),
    )
  })
  const extensionId = new URL(worker.url()).host
  const prefix = `chrome-extension://${extensionId}/`
  const extensionUrl = (path: string) => prefix + path.replace(/^\//, '')

  return {
    context,
    extensionId,
    extensionUrl,
    async serviceWorker() {
      return (
        context.serviceWorkers().find((w) => w.url().startsWith(prefix)) ??
        (await context.waitForEvent('serviceworker', {
          predicate: (w) => w.url().startsWith(prefix),
          timeout: 15_000,
        }))
      )
    },
    async openExtensionPage(path) {
      const page = await context.newPage()
      await page.goto(extensionUrl(path))
      return page
    },
    async closeExtensionPages() {
      await Promise.all(
        context
          .pages()
          .filter((p) => p.url().startsWith(prefix))
          .map((p) => p.close()),
      )
    },
    close: () => context.close(),
  }
}

async function firstServiceWorker(context: BrowserContext): Promise<Worker> {
  const isExtension = (w: Worker) => w.url().startsWith('chrome-extension://')
  return (
    context.serviceWorkers().find(isExtension) ??
    (await context.waitForEvent('serviceworker', { predicate: isExtension, timeout: 20_000 }))
  )
}

/** Files the manifest refers to that are not in the build: Chromium refuses such an extension. */
async function missingManifestFiles(extensionDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(extensionDir, 'manifest.json'), 'utf8')) as {
    icons?: Record<string, string>
    action?: { default_icon?: Record<string, string>; default_popup?: string }
    background?: { service_worker?: string }
  }
  const files = [
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.action?.default_icon ?? {}),
    manifest.action?.default_popup,
    manifest.background?.service_worker,
  ].filter((f): f is string => Boolean(f))
  const missing: string[] = []
  for (const file of new Set(files)) {
    await access(join(extensionDir, file)).catch(() => missing.push(file))
  }
  return missing
}

type Prefs = Record<string, unknown> & {
  extensions?: {
    settings?: Record<
      string,
      Record<string, { explicit_host?: string[]; scriptable_host?: string[] }>
    >
  }
}

async function readPrefs(userDataDir: string): Promise<Prefs> {
  try {
    return JSON.parse(await readFile(join(userDataDir, 'Default', 'Preferences'), 'utf8')) as Prefs
  } catch {
    return {}
  }
}

async function writePrefs(userDataDir: string, prefs: Prefs): Promise<void> {
  await mkdir(join(userDataDir, 'Default'), { recursive: true })
  await writeFile(join(userDataDir, 'Default', 'Preferences'), JSON.stringify(prefs))
}

async function hasGrantedOrigins(userDataDir: string, origins: string[]): Promise<boolean> {
  const settings = Object.values((await readPrefs(userDataDir)).extensions?.settings ?? {})
  return settings.some((s) =>
    origins.every((o) => s.active_permissions?.explicit_host?.includes(o)),
  )
}

/** Adds `origins` to the extension's granted and active permissions, as an accepted prompt does. */
async function grantOrigins(
  userDataDir: string,
  extensionId: string,
  origins: string[],
): Promise<void> {
  const prefs = await readPrefs(userDataDir)
  const settings = prefs.extensions?.settings?.[extensionId]
  if (!settings) throw new Error(`no settings for extension ${extensionId} in the profile`)
  for (const key of ['granted_permissions', 'active_permissions']) {
    const perms = (settings[key] ??= {})
    perms.explicit_host = [...new Set([...(perms.explicit_host ?? []), ...origins])]
    perms.scriptable_host = [...new Set([...(perms.scriptable_host ?? []), ...origins])]
  }
  await writePrefs(userDataDir, prefs)
}

async function writeDownloadPrefs(userDataDir: string, downloadsDir: string): Promise<void> {
  const prefs = await readPrefs(userDataDir)
  prefs.download = {
    ...(prefs.download as object | undefined),
    default_directory: downloadsDir,
    prompt_for_download: false,
    directory_upgrade: true,
  }
  await writePrefs(userDataDir, prefs)
}
