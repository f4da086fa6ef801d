/**
 * What the extension keeps in `storage.local`, read from its service worker: the tests' view of
 * "nothing was lost" (tray, chat history, followed jobs). Only the fields the tour checks are typed.
 * @module
 */
import type { ExtensionBrowser } from './browser.ts'
import type {} from './chrome-api.ts'

export interface TrayEntry {
  kind: 'image' | 'text'
  id: string
  src?: string
  text?: string
  blobKey?: string
}

export interface StoredChatEntry {
  kind: 'user' | 'reply' | 'credits' | 'state' | 'exporting' | 'error'
  id: string
  text?: string
  runId?: string
  status?: 'streaming' | 'done' | 'error' | 'stopped'
  summary?: { summary: string }
  error?: { code: string }
}

export interface StoredJob {
  jobId: string
  sessionId: string
  preset: string
  status: string
  fileName?: string
  error?: { code: string; message: string }
}

export interface StoredState {
  key: string | undefined
  sessionId: string | undefined
  chat: StoredChatEntry[]
  jobs: StoredJob[]
  tray: TrayEntry[]
  /** Notification id -> job id. */
  notifications: Record<string, string>
}

export async function readStoredState(browser: ExtensionBrowser): Promise<StoredState> {
  const worker = await browser.serviceWorker()
  return parseStoredState(await worker.evaluate(() => chrome.storage.local.get(null)))
}

/** The state out of everything in `storage.local` (as either browser's extension reads it). */
export function parseStoredState(all: Record<string, unknown>): StoredState {
  const projects = all.projects as { currentSessionId?: string } | undefined
  const sessionId = projects?.currentSessionId
  const chat = (sessionId ? all[`chat:${sessionId}`] : undefined) as
    { messages?: StoredChatEntry[] } | undefined
  return {
    key: (all.installation as { key?: string } | null | undefined)?.key,
    sessionId,
    chat: chat?.messages ?? [],
    jobs: ((all.jobs as { jobs?: Array<{ job: StoredJob }> } | undefined)?.jobs ?? []).map(
      (j) => j.job,
    ),
    tray: (all.tray as { items?: TrayEntry[] } | undefined)?.items ?? [],
    notifications: (all.notifications as { map?: Record<string, string> } | undefined)?.map ?? {},
  }
}
