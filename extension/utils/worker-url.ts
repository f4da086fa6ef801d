import { settingsItem } from './storage.ts'

/** The worker URL built in (`WXT_WORKER_URL` at build time), or the local development worker. */
export const DEFAULT_WORKER_URL: string =
  (import.meta.env.WXT_WORKER_URL as string | undefined) || 'http://127.0.0.1:8787'

/** The worker URL in effect: the user's override from the options page, else the built-in one. */
export async function getWorkerUrl(): Promise<string> {
  return (await settingsItem.getValue()).workerUrl ?? DEFAULT_WORKER_URL
}
