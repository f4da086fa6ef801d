import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { paths } from '../../../shared/api/index.ts'
import { installationItem, registrationPendingItem } from '../../../extension/utils/storage.ts'
import { KEY_A, created, json, routeFetch } from '../utils/api/fixtures.ts'
import { fb, installBrowserExtras, restartBackground, settle, startFresh } from './harness.ts'

let spies: ReturnType<typeof installBrowserExtras>

beforeEach(() => {
  fakeBrowser.reset()
  spies = installBrowserExtras()
})

describe('first run', () => {
  it('creates the context menus and registers in the browser language, asking nothing', async () => {
    spies.uiLanguage.mockReturnValue('zh-CN')
    const worker = routeFetch({ [`POST ${paths.installations}`]: () => json(created(KEY_A), 201) })
    vi.stubGlobal('fetch', worker.fetch)
    startFresh()
    await fb.runtime.onInstalled.trigger({ reason: 'install' })
    await settle()

    expect(spies.menusCreate.mock.calls.map(([m]: any[]) => [m.id, m.contexts])).toEqual([
      ['add-image', ['image']],
      ['make-from-image', ['image']],
      ['make-from-text', ['selection']],
      ['pick-images', ['page']],
      ['make-from-article', ['page']],
    ])
    // Titles come from _locales in the browser's language.
    expect((spies.menusCreate.mock.calls[0] as any[])[0].title).toBe('添加到视频')
    const registrations = worker.requests.filter(
      (r) => new URL(r.url).pathname === paths.installations,
    )
    expect(registrations).toHaveLength(1)
    expect(await registrations[0]!.json()).toEqual({ language: 'zh-CN' })
    expect(await installationItem.getValue()).toEqual({
      installationId: KEY_A.split('.')[0],
      key: KEY_A,
    })
    expect(spies.permissionsRequest).not.toHaveBeenCalled()
    // The welcome page opens once, on install.
    expect((await fb.tabs.query({})).flatMap((tab: { url?: string }) => tab.url ?? [])).toEqual([
      fb.runtime.getURL('/welcome.html'),
    ])
  })

  it('re-creates the menus on update without registering again', async () => {
    await installationItem.setValue({ installationId: 'inst_x', key: KEY_A })
    const worker = routeFetch({})
    vi.stubGlobal('fetch', worker.fetch)
    startFresh()
    await fb.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9' })
    await settle()
    expect(spies.menusRemoveAll).toHaveBeenCalled()
    expect(spies.menusCreate).toHaveBeenCalledTimes(5)
    expect(worker.requests).toHaveLength(0)
    expect((await fb.tabs.query({})).filter((tab: { url?: string }) => tab.url)).toEqual([])
  })

  it('retries a failed registration on the next start', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('offline')
    })
    startFresh()
    await fb.runtime.onInstalled.trigger({ reason: 'install' })
    await settle()
    expect(await installationItem.getValue()).toBeNull()
    expect(await registrationPendingItem.getValue()).toBe(true)

    vi.stubGlobal(
      'fetch',
      routeFetch({ [`POST ${paths.installations}`]: () => json(created(KEY_A), 201) }).fetch,
    )
    restartBackground()
    await settle()
    expect((await installationItem.getValue())?.key).toBe(KEY_A)
    expect(await registrationPendingItem.getValue()).toBe(false)
  })
})
