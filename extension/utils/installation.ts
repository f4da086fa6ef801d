import { browser } from 'wxt/browser'
import { createWorkerClient, type KeyRequest, type WorkerClient } from './api/index.ts'
import {
  installationItem,
  jobsItem,
  notificationsItem,
  pendingIntentItem,
  projectsItem,
  registrationPendingItem,
} from './storage.ts'
import { getWorkerUrl } from './worker-url.ts'

let registering: Promise<string> | undefined

/** The browser's UI language as the backend takes it (`en`, `zh-CN`). */
export function browserLanguage(): string {
  let ui = 'en'
  try {
    ui = browser.i18n.getUILanguage()
  } catch {
    ui = globalThis.navigator?.language ?? 'en'
  }
  return /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(ui) ? ui : 'en'
}

/**
 * Registers this browser with the worker (no questions asked) and stores the key. Concurrent
 * callers share one registration. A failure leaves `registrationPending` set for a later retry.
 */
export function register(fetchImpl?: typeof fetch): Promise<string> {
  registering ??= (async () => {
    try {
      const anon = createWorkerClient({ baseUrl: getWorkerUrl, getKey: noKey, fetch: fetchImpl })
      const created = await anon.register(browserLanguage())
      await installationItem.setValue({ installationId: created.installationId, key: created.key })
      await registrationPendingItem.setValue(false)
      return created.key
    } catch (err) {
      await registrationPendingItem.setValue(true)
      throw err
    }
  })().finally(() => {
    registering = undefined
  })
  return registering
}

/**
 * The installation key for worker calls: the stored one, or a fresh registration when there is
 * none (lazy first-run) or the worker refused it (`renew`: its KV was reset). Only the key is
 * replaced; the tray, chats and jobs stay.
 */
export async function getInstallationKey(
  opts: KeyRequest = {},
  fetchImpl?: typeof fetch,
): Promise<string> {
  if (registering) return registering
  const stored = await installationItem.getValue()
  if (stored && (!opts.renew || (opts.rejected !== undefined && stored.key !== opts.rejected)))
    return stored.key
  return register(fetchImpl)
}

/** Registers on first run, or retries a registration that failed earlier. Never throws. */
export async function ensureRegistered(fetchImpl?: typeof fetch): Promise<void> {
  if (await installationItem.getValue()) return
  await register(fetchImpl).catch(() => {})
}

/** The worker client every extension context uses: current worker URL, stored key. */
export function getWorkerClient(fetchImpl?: typeof fetch): WorkerClient {
  return createWorkerClient({
    baseUrl: getWorkerUrl,
    getKey: (opts) => getInstallationKey(opts, fetchImpl),
    fetch: fetchImpl,
  })
}

function noKey(): Promise<string> {
  return Promise.reject(new Error('registration needs no key'))
}

/**
 * Forgets this installation on the worker and registers a new one. The tray, chats and jobs stay
 * unless `clearLocal`: they are the user's, not the installation's.
 */
export async function resetInstallation(
  opts: { clearLocal: boolean },
  fetchImpl?: typeof fetch,
): Promise<void> {
  await getWorkerClient(fetchImpl)
    .deleteInstallation()
    .catch(() => {}) // already unknown to the worker, or offline: forget it locally anyway
  await installationItem.setValue(null)
  if (opts.clearLocal) await clearLocalData()
  await register(fetchImpl)
}

async function clearLocalData(): Promise<void> {
  const { clearTray } = await import('./tray.ts')
  const all = await browser.storage.local.get(null)
  const chatKeys = Object.keys(all).filter((k) => k.startsWith('chat:'))
  await clearTray()
  await Promise.all([
    browser.storage.local.remove(chatKeys),
    projectsItem.removeValue(),
    jobsItem.removeValue(),
    notificationsItem.removeValue(),
    pendingIntentItem.removeValue(),
  ])
}
