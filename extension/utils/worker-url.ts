import { settingsItem } from './storage.ts'

/** The worker URL built in (`WXT_WORKER_URL` at build time), or the local development worker. */
export const DEFAULT_WORKER_URL: string =
  (import.meta.env.WXT_WORKER_URL as string | undefined) || 'http://127.0.0.1:8787'

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * Whether the extension may send its installation key to this worker URL: https to any host, plain
 * http only to this machine (a local `npm start`). Anything else would put the key on the wire.
 */
export function isAllowedWorkerUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && LOOPBACK.test(url.hostname)
}

/** The origin a worker URL names: a key belongs to the worker origin that issued it. */
export function workerOrigin(raw: string): string {
  return new URL(raw).origin
}

/**
 * The worker URL in effect: the user's override from the options page, else the built-in one. An
 * override the rules above refuse (stored by an older version) is not used.
 */
export async function getWorkerUrl(): Promise<string> {
  const override = (await settingsItem.getValue()).workerUrl
  return override && isAllowedWorkerUrl(override) ? override : DEFAULT_WORKER_URL
}
