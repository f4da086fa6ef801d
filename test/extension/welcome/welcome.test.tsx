import { cleanup, render, screen, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { Welcome } from '../../../extension/entrypoints/welcome/Welcome.tsx'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'

beforeEach(() => fakeBrowser.reset())
afterEach(() => cleanup())

describe('welcome page', () => {
  it('shows the three ways in with the menu items a person will see, and the demo', () => {
    setUiLanguage('en')
    render(<Welcome />)
    screen.getByRole('heading', { name: 'Welcome to PageReel' })
    const ways = within(screen.getAllByRole('list')[0]!).getAllByRole('listitem')
    expect(ways.map((w) => within(w).getByRole('heading').textContent)).toEqual([
      'An image',
      'A selection',
      'The whole page',
    ])
    expect(ways.map((w) => w.querySelector('.menu-item')?.textContent)).toEqual([
      'Add to video',
      'Make video from this text',
      'Make video from this article',
    ])
    const demo = screen.getByRole('region', { name: 'A 20-second demo of the three ways in' })
    expect(demo.querySelector('progress')?.getAttribute('max')).toBe('20000')
  })

  it('speaks Chinese', () => {
    setUiLanguage('zh')
    render(<Welcome />)
    screen.getByRole('heading', { name: '欢迎使用 PageReel' })
    screen.getByRole('heading', { name: '三种开始方式' })
    expect(document.body.textContent).toContain('用这篇文章制作视频')
  })
})
