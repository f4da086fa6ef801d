/**
 * The slice of the `chrome.*` API the tour evaluates inside the extension's service worker and
 * pages. Callbacks handed to `evaluate` run in the browser and are typed against this.
 */
export interface ChromeApi {
  runtime: {
    id: string
    sendMessage(message: unknown): Promise<unknown>
    getURL(path: string): string
  }
  notifications: {
    getAll(): Promise<Record<string, boolean>>
    clear(id: string): Promise<boolean>
  }
  downloads: {
    search(query: { id?: number; orderBy?: string[] }): Promise<DownloadItem[]>
  }
  tabs: {
    query(query: {
      url?: string | string[]
      active?: boolean
      currentWindow?: boolean
    }): Promise<Array<{ id?: number; url?: string; windowId: number }>>
    get(tabId: number): Promise<{ id?: number; url?: string; title?: string }>
    update(tabId: number, props: { active?: boolean }): Promise<unknown>
  }
  storage: {
    local: {
      get(keys?: string | string[] | null): Promise<Record<string, unknown>>
      set(items: Record<string, unknown>): Promise<void>
    }
    session: { get(keys?: string | string[] | null): Promise<Record<string, unknown>> }
  }
  permissions: { getAll(): Promise<{ permissions?: string[]; origins?: string[] }> }
  alarms: {
    getAll(): Promise<Array<{ name: string; scheduledTime: number; periodInMinutes?: number }>>
  }
  action: { getBadgeText(details: { tabId?: number }): Promise<string> }
}

export interface DownloadItem {
  id: number
  url: string
  filename: string
  state: 'in_progress' | 'interrupted' | 'complete'
  error?: string
  mime?: string
  fileSize: number
}

declare global {
  // The extension contexts' global; only ever touched inside `evaluate` callbacks.
  var chrome: ChromeApi
}
