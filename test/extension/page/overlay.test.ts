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
    const { boxes, button, send } = open()
    boxes[1]!.click()
    expect(
      document.getElementById('pagereel-picker')!.shadowRoot!.querySelector('.count')?.textContent,
    ).toBe('2 selected')
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

  it('replaces an overlay already open rather than stacking a second one', () => {
    open()
    open()
    expect(document.querySelectorAll('#pagereel-picker')).toHaveLength(1)
  })
})
