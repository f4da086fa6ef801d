import { browser } from 'wxt/browser'
import { z } from 'zod/mini'
import { InstallationCreated } from '../../shared/api/installations.ts'
import { paths } from '../../shared/api/routes.ts'
import { createWorkerClient, type KeyRequest, type WorkerClient } from './api/index.ts'
import { requestJson } from './api/http.ts'
import { defineParsedItem } from './parsed-item.ts'
import {
  installationItem,
  jobsItem,
  notificationsItem,
  pendingIntentItem,
  projectsItem,
  registrationPendingItem,
} from './storage.ts'
import { getWorkerUrl, workerOrigin } from './worker-url.ts'

let registering: Promise<string> | undefined

/**
 * The worker origin that issued the stored key: the key is only ever sent there. Another worker
 * URL in the options means another installation (registered anew); the key never travels.
 */
const keyOriginItem = defineParsedItem('local:installation-origin', z.nullable(z.string()), null)

/**
 * A private deployment's registration code (its REGISTRATION_CODE), entered once in the options,
 * for the worker origin it was entered for. Sent with a registration to that origin only.
 */
export const registrationCodeItem = defineParsedItem(
  'local:registration-code',
  z.nullable(z.object({ origin: z.string(), code: z.string() })),
  null,
)

/** Keeps the registration code for the worker in effect; the next registration sends it. */
export async function setRegistrationCode(code: string): Promise<void> {
  const origin = workerOrigin(await getWorkerUrl())
  const trimmed = code.trim()
  await registrationCodeItem.setValue(trimmed ? { origin, code: trimmed } : null)
}

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
 * Registers this browser with the worker in effect (with the registration code a private
 * deployment asked for, if one was entered for it) and stores the key with the worker's origin.
 * Concurrent callers share one registration. A failure leaves `registrationPending` set for a
 * later retry.
 */
export function register(fetchImpl?: typeof fetch): Promise<string> {
  registering ??= (async () => {
    try {
      const baseUrl = await getWorkerUrl()
      const origin = workerOrigin(baseUrl)
      const code = await registrationCodeItem.getValue()
      const body = {
        language: browserLanguage(),
        ...(code?.origin === origin && { registrationCode: code.code }),
      }
      const created = await requestJson(
        { baseUrl, getKey: noKey, fetch: fetchImpl },
        { method: 'POST', path: paths.installations, body, anonymous: true },
        InstallationCreated,
      )
      await keyOriginItem.setValue(origin)
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
 * The installation key for worker calls: the stored one when the worker in effect issued it, or a
 * fresh registration when there is none (lazy first-run), the worker URL now names another origin
 * (the old key is never sent there), or the worker refused it (`renew`: its KV was reset). Only
 * the key is replaced; the tray, chats and jobs stay.
 */
export async function getInstallationKey(
  opts: KeyRequest = {},
  fetchImpl?: typeof fetch,
): Promise<string> {
  if (registering) return registering
  const stored = await installationItem.getValue()
  if (stored && !(await issuedByCurrentWorker())) return register(fetchImpl)
  if (stored && (!opts.renew || (opts.rejected !== undefined && stored.key !== opts.rejected)))
    return stored.key
  return register(fetchImpl)
}

/** Whether the stored key was issued by the worker in effect (a key from before origins were kept is taken as its). */
async function issuedByCurrentWorker(): Promise<boolean> {
  const origin = workerOrigin(await getWorkerUrl())
  const issuedBy = await keyOriginItem.getValue()
  if (issuedBy === null) {
    await keyOriginItem.setValue(origin)
    return true
  }
  return issuedBy === origin
}

/** Registers on first run, or retries a registration that failed earlier. Never throws. */
export async function ensureRegistered(fetchImpl?: typeof fetch): Promise<void> {
  if ((await installationItem.getValue()) && (await issuedByCurrentWorker())) return
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
  // Only a key the worker in effect issued is sent to it to be deleted.
  if (await issuedByCurrentWorker()) {
    await getWorkerClient(fetchImpl)
      .deleteInstallation()
      .catch(() => {}) // already unknown to the worker, or offline: forget it locally anyway
  }
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
