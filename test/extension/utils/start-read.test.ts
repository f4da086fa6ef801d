import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { browser } from 'wxt/browser'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { localRendersItem } from '../../../extension/render/local-renders-item.ts'
import { keptStates } from '../../../extension/utils/last-state.ts'
import {
  beginStartRead,
  endStartRead,
  OPEN_HINT,
  START_KEYS,
} from '../../../extension/utils/start-read.ts'
import {
  chatItem,
  jobsItem,
  pendingExportsItem,
  pendingIntentItem,
  projectsItem,
  settingsItem,
  trayItem,
} from '../../../extension/utils/storage.ts'

const sessionId = 'ses_aaaaaaaaaaaaaaaaaaaa'
const projects = {
  currentSessionId: sessionId,
  projects: [{ sessionId, title: 'Trip', createdAt: '2026-12-01T10:00:00.000Z' }],
}
const history = { messages: [{ kind: 'user', id: 'u1', text: 'hello', at: 1 }] }

beforeEach(async () => {
  fakeBrowser.reset()
  localStorage.clear()
  await browser.storage.local.set({ projects, [`chat:${sessionId}`]: history })
  localStorage.setItem(OPEN_HINT, sessionId)
})
afterEach(() => endStartRead())

/** Counts the page's own storage reads from here on. */
const countGets = () => vi.spyOn(browser.storage.local, 'get')

describe('the start read', () => {
  it('answers every read the start makes with one storage get', async () => {
    beginStartRead()
    const gets = countGets()
    expect(await projectsItem.getValue()).toEqual(projects)
    expect(await chatItem(sessionId).getValue()).toEqual(history)
    expect((await settingsItem.getValue()).uiLanguage).toBe('auto')
    await Promise.all([
      keptStates(),
      jobsItem.getValue(),
      pendingExportsItem.getValue(),
      trayItem.getValue(),
      pendingIntentItem.getValue(),
      localRendersItem.getValue(),
    ])
    expect(gets).not.toHaveBeenCalled()
  })

  it('names the items the app reads at its start', () => {
    const items = [
      settingsItem,
      projectsItem,
      jobsItem,
      pendingExportsItem,
      trayItem,
      pendingIntentItem,
      localRendersItem,
    ]
    for (const item of items) expect(START_KEYS).toContain(item.key.slice('local:'.length))
  })

  it('reads storage again for a key another page changed since', async () => {
    beginStartRead()
    const renamed = { ...projects, projects: [{ ...projects.projects[0]!, title: 'Renamed' }] }
    await browser.storage.local.set({ projects: renamed })
    const gets = countGets()
    expect(await projectsItem.getValue()).toEqual(renamed)
    expect(gets).toHaveBeenCalledTimes(1)
  })

  it('reads storage again for a key this page wrote', async () => {
    beginStartRead()
    const gets = countGets()
    // Written without telling anyone: only this page's own write can have changed it.
    vi.spyOn(browser.storage.local, 'set').mockResolvedValueOnce(undefined)
    await chatItem(sessionId).setValue({ messages: [] })
    await chatItem(sessionId).getValue()
    expect(gets).toHaveBeenCalledTimes(1)
  })

  it('reads storage itself once the start is over, or when the start read failed', async () => {
    beginStartRead()
    endStartRead()
    const gets = countGets()
    expect(await projectsItem.getValue()).toEqual(projects)
    expect(gets).toHaveBeenCalledTimes(1)

    gets.mockRejectedValueOnce(new Error('storage unavailable'))
    beginStartRead()
    expect(await projectsItem.getValue()).toEqual(projects)
  })
})
