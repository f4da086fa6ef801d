import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'
import type { PageImage } from '../../../extension/page/page-images.ts'
import { openPickerOverlay } from '../../../extension/page/picker-overlay.ts'

const images: PageImage[] = [
  { url: 'https://cdn.test/a.jpg', alt: 'Harbour', width: 800, height: 600, source: 'img' },
  { url: 'https://cdn.test/b.jpg', alt: '', width: 640, height: 480, source: 'img' },
  { url: 'https://cdn.test/c.jpg', alt: 'Banner', source: 'background' },
]

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('en')
  document.body.innerHTML = '<p>page</p>'
})

function open(list = images) {
  const send = vi.fn(async () => {})
  const { root, close } = openPickerOverlay(document, list, 'https://news.test/story', send)
  const boxes = [...root.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]
  const button = (label: string) =>
    [...root.querySelectorAll('button')].find((b) => b.textContent === label)!
  return { root, close, send, boxes, button }
}

describe('picker overlay', () => {
  it('shows every image ticked, labelled, with the first tick box focused', () => {
    const { root, boxes } = open()
    expect(boxes).toHaveLength(3)
    expect(boxes.every((b) => b.checked)).toBe(true)
    expect(boxes.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Image 1: Harbour',
      'Image 2: b.jpg',
      'Image 3: Banner',
    ])
    expect(root.activeElement).toBe(boxes[0])
    expect(root.querySelector('[role=dialog]')?.getAttribute('aria-modal')).toBe('true')
    expect(root.querySelector('.count')?.textContent).toBe('3 selected')
  })

  it('sends only the ticked images, then closes', () => {
    const { root, boxes, button, send } = open()
    boxes[1]!.click()
    expect(root.querySelector('.count')?.textContent).toBe('2 selected')
    button('Make video').click()
    expect(send).toHaveBeenCalledWith([
      { url: 'https://cdn.test/a.jpg', alt: 'Harbour', width: 800, height: 600 },
      { url: 'https://cdn.test/c.jpg', alt: 'Banner', width: undefined, height: undefined },
    ])
    expect(document.getElementById('pagereel-picker')).toBeNull()
  })

  it('disables "Make video" with nothing ticked', () => {
    const { button, send } = open()
    button('Select none').click()
    expect(button('Make video').disabled).toBe(true)
    button('Make video').click()
    expect(send).not.toHaveBeenCalled()
    button('Select all').click()
    expect(button('Make video').disabled).toBe(false)
  })

  it('closes on Escape without sending', () => {
    const { send } = open()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(document.getElementById('pagereel-picker')).toBeNull()
    expect(send).not.toHaveBeenCalled()
  })

  it('says so when the page has no suitable images', () => {
    const { root, button } = open([])
    expect(root.querySelector('.empty')?.textContent).toBe(
      'No suitable images were found on this page.',
    )
    expect(button('Make video').disabled).toBe(true)
  })

  it('lives in a closed shadow root and ignores events a page script makes (issue 11, item 8)', () => {
    const { send, boxes, button } = open()
    // The page cannot reach inside: the host shows no shadow root.
    expect(document.getElementById('pagereel-picker')?.shadowRoot).toBeNull()
    // happy-dom has no isTrusted; a browser sets it false on every event a script dispatches.
    const untrusted = <E extends Event>(event: E): E => {
      Object.defineProperty(event, 'isTrusted', { value: false })
      return event
    }
    button('Make video').dispatchEvent(untrusted(new MouseEvent('click', { bubbles: true })))
    button('Select none').dispatchEvent(untrusted(new MouseEvent('click', { bubbles: true })))
    expect(boxes.every((b) => b.checked)).toBe(true)
    boxes[0]!.dispatchEvent(untrusted(new MouseEvent('click', { bubbles: true, cancelable: true })))
    expect(boxes[0]!.checked).toBe(true)
    document.dispatchEvent(
      untrusted(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })),
    )
    expect(document.getElementById('pagereel-picker')).not.toBeNull()
    expect(send).not.toHaveBeenCalled()
    // The user's own click still works.
    button('Make video').click()
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('replaces an overlay already open rather than stacking a second one', () => {
    open()
    open()
    expect(document.querySelectorAll('#pagereel-picker')).toHaveLength(1)
  })
})
