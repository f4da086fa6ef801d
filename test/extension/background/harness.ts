import { vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { startBackground } from '../../../extension/background/main.ts'

/**
 * WXT's fake browser implements storage, alarms, notifications, action, runtime and tabs; the
 * APIs it leaves unmocked (context menus, commands, scripting, side panel, downloads,
 * permissions, i18n) get spies or trigger-able events here.
 */
export type Listener = (...args: any[]) => unknown

export function triggerable() {
  const listeners: Listener[] = []
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l), 1),
    hasListener: (l: Listener) => listeners.includes(l),
    hasListeners: () => listeners.length > 0,
    trigger: (...args: unknown[]) => listeners.map((l) => l(...args)),
  }
}

/**
 * The fake browser, loosely typed: tests trigger events with partial objects (an alarm without
 * `persistAcrossSessions`, a tab with only id and window) the real types would refuse.
 */
export const fb: Record<string, any> = fakeBrowser

/** Spies for the unmocked APIs, Chrome flavour (sidePanel present, no sidebarAction). */
export function installBrowserExtras() {
  fb.contextMenus.onClicked = triggerable()
  fb.commands.onCommand = triggerable()
  delete fb.sidebarAction
  const spies = {
    menusCreate: vi.spyOn(fb.contextMenus, 'create').mockImplementation(() => 1),
    menusRemoveAll: vi.spyOn(fb.contextMenus, 'removeAll').mockResolvedValue(undefined),
    executeScript: vi.spyOn(fb.scripting, 'executeScript').mockResolvedValue([]),
    sidePanelOpen: vi.spyOn(fb.sidePanel, 'open').mockResolvedValue(undefined),
    download: vi.spyOn(fb.downloads, 'download').mockResolvedValue(7),
    permissionsContains: vi.spyOn(fb.permissions, 'contains').mockResolvedValue(false),
    permissionsRequest: vi.spyOn(fb.permissions, 'request').mockResolvedValue(false),
    uiLanguage: vi.spyOn(fb.i18n, 'getUILanguage').mockReturnValue('en-US'),
    getMessage: vi.spyOn(fb.i18n, 'getMessage').mockReturnValue(''),
    tabsSendMessage: vi.spyOn(fb.tabs, 'sendMessage'),
  }
  return spies
}

/** Switches the extras to Firefox's shape: a sidebar instead of the side panel. */
export function useFirefoxPanel() {
  const sidePanel = fb.sidePanel
  fb.sidePanel = undefined
  const open = vi.fn(async () => {})
  fb.sidebarAction = { open }
  return {
    open,
    restore: () => {
      fb.sidePanel = sidePanel
      delete fb.sidebarAction
    },
  }
}

/**
 * A stopped-and-restarted background: listeners, alarms and notifications are gone, storage
 * stays, and main runs again.
 */
export function restartBackground() {
  for (const api of ['runtime', 'alarms', 'notifications', 'action', 'tabs'] as const)
    fb[api].resetState()
  fb.contextMenus.onClicked = triggerable()
  fb.commands.onCommand = triggerable()
  startBackground(fakeBrowser as never)
}

export function startFresh() {
  startBackground(fakeBrowser as never)
}

/** Lets queued promise work (storage writes, fetches) finish. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0))
}
