import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { getBlob } from '../../../extension/utils/blob-store.ts'
import { IMAGE_CHUNK_BYTES } from '../../../extension/utils/messages.ts'
import { pendingIntentItem, trayItem } from '../../../extension/utils/storage.ts'
import { fb, installBrowserExtras, settle, startFresh, useFirefoxPanel } from './harness.ts'

let spies: ReturnType<typeof installBrowserExtras>
const TAB = { id: 5, windowId: 9, url: 'https://news.test/story' }
const PAGE = 'https://news.test/story'

beforeEach(() => {
  fakeBrowser.reset()
  spies = installBrowserExtras()
  vi.stubGlobal('fetch', async () => {
    throw new TypeError('no network in this test')
  })
})

/** The page agent's answers, as the content script would give them. */
function agentAnswers(answer: (msg: any) => unknown) {
  spies.tabsSendMessage.mockImplementation((async (_tab: number, msg: unknown) =>
    answer(msg)) as never)
}

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 1, 2, 3])
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))

describe('image menu', () => {
  it('"Make video from this image" opens the side panel during the click, then adds the real candidate', async () => {
    startFresh()
    agentAnswers((msg) =>
      msg.type === 'resolve-image'
        ? {
            url: 'https://cdn.test/hero-1600.jpg',
            alt: 'Harbour',
            width: 1600,
            height: 900,
            needsCookies: false,
          }
        : undefined,
    )
    fb.contextMenus.onClicked.trigger(
      {
        menuItemId: 'make-from-image',
        srcUrl: 'https://cdn.test/hero-400.jpg',
        pageUrl: PAGE,
        frameId: 0,
      },
      TAB,
    )
    // Synchronously: the user action is only valid until the first await.
    expect(spies.sidePanelOpen).toHaveBeenCalledWith({ windowId: 9 })
    await settle()

    expect(spies.executeScript).toHaveBeenCalledWith({
      target: { tabId: 5, frameIds: [0] },
      files: ['/page-agent.js'],
    })
    const { items } = await trayItem.getValue()
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'image',
        src: 'https://cdn.test/hero-1600.jpg',
        alt: 'Harbour',
        pageUrl: PAGE,
      }),
    ])
    expect(items[0]).not.toHaveProperty('blobKey')
    expect(await pendingIntentItem.getValue()).toMatchObject({
      kind: 'make_video',
      itemIds: [items[0]!.id],
    })
  })

  it('opens the Firefox sidebar instead where there is no side panel', async () => {
    const firefox = useFirefoxPanel()
    startFresh()
    agentAnswers(() => undefined)
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'make-from-image', srcUrl: 'https://cdn.test/a.jpg', pageUrl: PAGE },
      TAB,
    )
    expect(firefox.open).toHaveBeenCalledTimes(1)
    await settle()
    expect((await trayItem.getValue()).items[0]).toMatchObject({ src: 'https://cdn.test/a.jpg' })
    firefox.restore()
  })

  it('"Add to video" adds without opening the panel or asking to make a video', async () => {
    startFresh()
    agentAnswers(() => undefined)
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'add-image', srcUrl: 'https://cdn.test/a.jpg', pageUrl: PAGE },
      TAB,
    )
    await settle()
    expect(spies.sidePanelOpen).not.toHaveBeenCalled()
    expect((await trayItem.getValue()).items).toHaveLength(1)
    expect(await pendingIntentItem.getValue()).toBeNull()
  })

  it('reads a blob: image through the page in base64 chunks and keeps its bytes', async () => {
    startFresh()
    const blobUrl = 'blob:https://news.test/6c1f'
    agentAnswers((msg) => {
      if (msg.type === 'resolve-image') return { url: blobUrl, alt: 'Chart', needsCookies: false }
      if (msg.type === 'read-image') {
        expect(msg.offset % IMAGE_CHUNK_BYTES).toBe(0)
        return { ok: true, type: 'image/png', size: PNG.length, offset: 0, base64: base64(PNG) }
      }
    })
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'add-image', srcUrl: blobUrl, pageUrl: PAGE },
      TAB,
    )
    await settle()
    const [item] = (await trayItem.getValue()).items
    expect(item).toMatchObject({ kind: 'image', src: blobUrl, mime: 'image/png' })
    const stored = await getBlob((item as { blobKey: string }).blobKey)
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(PNG)
  })

  it('decodes a data: image locally, without fetching it', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    startFresh()
    const dataUrl = `data:image/png;base64,${base64(PNG)}`
    agentAnswers((msg) =>
      msg.type === 'resolve-image' ? { url: dataUrl, alt: '', needsCookies: false } : undefined,
    )
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'add-image', srcUrl: dataUrl, pageUrl: PAGE },
      TAB,
    )
    await settle()
    const [item] = (await trayItem.getValue()).items
    expect(item).toMatchObject({ kind: 'image', mime: 'image/png' })
    expect((item as { src: string }).src).toMatch(/^data:image\/png;sha256,[0-9a-f]{24}$/)
    // The only request is the background's own first-run registration.
    const urls = fetch.mock.calls.map(([r]) => (r instanceof Request ? r.url : String(r)))
    expect(urls.filter((u) => u.startsWith('data:'))).toEqual([])
  })

  it('fetches an image behind the site cookies itself when it has access to the origin', async () => {
    spies.permissionsContains.mockResolvedValue(true)
    const fetch = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(PNG, { headers: { 'Content-Type': 'image/png' } }),
    )
    vi.stubGlobal('fetch', fetch)
    startFresh()
    agentAnswers((msg) =>
      msg.type === 'resolve-image'
        ? { url: 'https://news.test/private/me.png', alt: '', needsCookies: true }
        : undefined,
    )
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'add-image', srcUrl: 'https://news.test/private/me.png', pageUrl: PAGE },
      TAB,
    )
    await settle()
    expect(fetch).toHaveBeenCalledWith('https://news.test/private/me.png', {
      credentials: 'include',
    })
    expect(spies.permissionsContains).toHaveBeenCalledWith({ origins: ['https://news.test/*'] })
    expect((await trayItem.getValue()).items[0]).toMatchObject({
      mime: 'image/png',
      blobKey: expect.any(String),
    })
  })

  it('asks for access during the click for a LAN image on another origin', async () => {
    startFresh()
    agentAnswers(() => undefined)
    spies.tabsSendMessage.mockRejectedValue(new Error('no agent'))
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'add-image', srcUrl: 'http://192.168.1.20/cam.jpg', pageUrl: PAGE },
      TAB,
    )
    expect(spies.permissionsRequest).toHaveBeenCalledWith({ origins: ['http://192.168.1.20/*'] })
    await settle()
    // Refused and unreadable by the page: nothing is added, the user is told.
    expect((await trayItem.getValue()).items).toHaveLength(0)
    expect(Object.values(fb.notifications.getAllCreateOptions())[0]).toMatchObject({
      message: 'Could not read this image from the page.',
    })
  })
})

describe('text and page menus', () => {
  it('"Make video from this text" puts the selection in the tray as the script', async () => {
    startFresh()
    fb.contextMenus.onClicked.trigger(
      { menuItemId: 'make-from-text', selectionText: '  A day at the harbour.  ', pageUrl: PAGE },
      TAB,
    )
    expect(spies.sidePanelOpen).toHaveBeenCalledWith({ windowId: 9 })
    await settle()
    const { items } = await trayItem.getValue()
    expect(items).toEqual([
      expect.objectContaining({ kind: 'text', text: 'A day at the harbour.', pageUrl: PAGE }),
    ])
    expect((await pendingIntentItem.getValue())?.itemIds).toEqual([items[0]!.id])
  })

  it('"Make video from images on this page" injects the agent and opens the picker', async () => {
    startFresh()
    agentAnswers(() => ({ ok: true, count: 3 }))
    fb.contextMenus.onClicked.trigger({ menuItemId: 'pick-images', pageUrl: PAGE }, TAB)
    await settle()
    expect(spies.executeScript).toHaveBeenCalled()
    expect(spies.tabsSendMessage).toHaveBeenCalledWith(5, { type: 'open-picker' }, { frameId: 0 })
    expect(spies.sidePanelOpen).not.toHaveBeenCalled()
  })

  it('the picker choice adds the images and opens the panel on the page click', async () => {
    startFresh()
    const replies: unknown[] = []
    fb.runtime.onMessage.trigger(
      {
        type: 'picker-chosen',
        pageUrl: PAGE,
        images: [
          { url: 'https://cdn.test/a.jpg', alt: 'A' },
          { url: 'https://cdn.test/b.jpg', alt: 'B', width: 800 },
        ],
      },
      { tab: TAB, frameId: 0, id: fb.runtime.id },
      (r: unknown) => replies.push(r),
    )
    expect(spies.sidePanelOpen).toHaveBeenCalledWith({ windowId: 9 })
    await settle()
    expect((await trayItem.getValue()).items.map((i) => (i.kind === 'image' ? i.src : ''))).toEqual(
      ['https://cdn.test/a.jpg', 'https://cdn.test/b.jpg'],
    )
    expect(replies).toEqual([{ ok: true, itemIds: expect.any(Array) }])
    expect((await pendingIntentItem.getValue())?.itemIds).toHaveLength(2)
  })
})

describe('capture message', () => {
  it('does from an extension page what the menu click does', async () => {
    startFresh()
    agentAnswers((msg) =>
      msg.type === 'resolve-image'
        ? { url: 'https://cdn.test/big.jpg', alt: '', needsCookies: false }
        : undefined,
    )
    const replies: unknown[] = []
    fb.runtime.onMessage.trigger(
      {
        type: 'capture',
        action: 'make-from-image',
        tabId: 5,
        windowId: 9,
        srcUrl: 'https://cdn.test/small.jpg',
        pageUrl: PAGE,
      },
      { id: fb.runtime.id, url: fb.runtime.getURL('/popup.html') },
      (r: unknown) => replies.push(r),
    )
    expect(spies.sidePanelOpen).toHaveBeenCalledWith({ windowId: 9 })
    await settle()
    expect((await trayItem.getValue()).items[0]).toMatchObject({ src: 'https://cdn.test/big.jpg' })
    expect(replies).toEqual([{ ok: true, itemIds: [expect.any(String)] }])
  })

  it('is accepted from an extension page open in a tab', async () => {
    startFresh()
    const replies: unknown[] = []
    fb.runtime.onMessage.trigger(
      { type: 'capture', action: 'make-from-text', selectionText: 'Hello', pageUrl: PAGE },
      { id: fb.runtime.id, tab: { id: 77, windowId: 9 }, url: fb.runtime.getURL('/options.html') },
      (r: unknown) => replies.push(r),
    )
    await settle()
    expect(replies).toEqual([{ ok: true, itemIds: [expect.any(String)] }])
  })

  it('is refused from a web page', async () => {
    startFresh()
    const result = fb.runtime.onMessage.trigger(
      { type: 'capture', action: 'make-from-text', selectionText: 'x', pageUrl: PAGE },
      { id: fb.runtime.id, tab: TAB, url: PAGE },
      () => {},
    )
    expect(await result).toEqual([false])
    await settle()
    expect((await trayItem.getValue()).items).toHaveLength(0)
  })
})
