import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { paths } from '../../../shared/api/index.ts'
import { resetInstallation } from '../../../extension/utils/installation.ts'
import { installationItem, jobsItem, trayItem } from '../../../extension/utils/storage.ts'
import { KEY_A, KEY_B, SESSION, created, job, json, routeFetch } from '../utils/api/fixtures.ts'
import { fb, installBrowserExtras, settle, startFresh } from './harness.ts'

let spies: ReturnType<typeof installBrowserExtras>

beforeEach(async () => {
  fakeBrowser.reset()
  spies = installBrowserExtras()
  await installationItem.setValue({ installationId: 'inst_old', key: KEY_A })
})

describe('keyboard shortcut', () => {
  it('opens the side panel in the window of the command', async () => {
    vi.stubGlobal('fetch', routeFetch({}).fetch)
    startFresh()
    fb.commands.onCommand.trigger('open-side-panel', { id: 3, windowId: 12 })
    expect(spies.sidePanelOpen).toHaveBeenCalledWith({ windowId: 12 })
    fb.commands.onCommand.trigger('something-else', { id: 3, windowId: 12 })
    expect(spies.sidePanelOpen).toHaveBeenCalledTimes(1)
  })
})

describe('reset installation', () => {
  async function seedLocalData() {
    await trayItem.setValue({
      items: [{ kind: 'text', id: 'txt_1', text: 'script', pageUrl: 'https://p.test/' }],
    })
    // The chat's shape belongs to the UI; only the key matters here.
    await fakeBrowser.storage.local.set({ [`chat:${SESSION}`]: { messages: ['kept as it is'] } })
    await jobsItem.setValue({ jobs: [{ job: job(), notified: false }] })
  }

  function worker() {
    const w = routeFetch({
      [`DELETE ${paths.me}`]: () => new Response(null, { status: 204 }),
      [`POST ${paths.installations}`]: () => json(created(KEY_B), 201),
    })
    vi.stubGlobal('fetch', w.fetch)
    return w
  }

  it('forgets the old installation and registers anew, keeping tray, chats and jobs', async () => {
    await seedLocalData()
    const w = worker()
    await resetInstallation({ clearLocal: false })
    expect(w.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `DELETE ${paths.me}`,
      `POST ${paths.installations}`,
    ])
    expect(w.requests[0]!.headers.get('Authorization')).toBe(`Bearer ${KEY_A}`)
    expect((await installationItem.getValue())?.key).toBe(KEY_B)
    expect((await trayItem.getValue()).items).toHaveLength(1)
    expect(await fakeBrowser.storage.local.get(`chat:${SESSION}`)).toEqual({
      [`chat:${SESSION}`]: { messages: ['kept as it is'] },
    })
    expect((await jobsItem.getValue()).jobs).toHaveLength(1)
  })

  it('clears local data only when asked', async () => {
    await seedLocalData()
    worker()
    await resetInstallation({ clearLocal: true })
    await settle()
    expect((await trayItem.getValue()).items).toEqual([])
    expect(await fakeBrowser.storage.local.get(`chat:${SESSION}`)).toEqual({})
    expect((await jobsItem.getValue()).jobs).toEqual([])
    expect((await installationItem.getValue())?.key).toBe(KEY_B)
  })
})
