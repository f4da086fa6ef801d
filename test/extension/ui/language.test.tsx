import { cleanup, fireEvent, screen } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'
import { ApiRequestError } from '../../../extension/utils/api/index.ts'
import { createFakeWorker, renderApp } from './harness.tsx'

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('zh')
})
afterEach(() => {
  cleanup()
  setUiLanguage('auto')
})

describe('UI language', () => {
  it('shows the UI and the shared error messages in Chinese when chosen', async () => {
    const worker = createFakeWorker()
    worker.override('createExport', async () => {
      throw new ApiRequestError({ code: 'plan_required', message: 'Export needs a plan' }, 403)
    })
    renderApp(worker)
    expect(screen.getByRole('button', { name: '发送' })).toBeTruthy()
    expect(screen.getByLabelText('消息')).toBeTruthy()
    fireEvent.click(await screen.findByRole('button', { name: '导出（1）' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('注册或升级套餐即可解锁导出。')
    expect(alert.textContent).toContain('使用我自己的 API 令牌')
  })

  it('switches a mounted UI to the other language without remounting it', async () => {
    setUiLanguage('en')
    renderApp(createFakeWorker())
    const composer = screen.getByLabelText('Message') as HTMLTextAreaElement
    fireEvent.input(composer, { target: { value: 'kept across the switch' } })
    setUiLanguage('zh')
    expect(await screen.findByRole('button', { name: '发送' })).toBeTruthy()
    // The same element, with what the user typed: the language changed in place.
    expect(screen.getByLabelText('消息')).toBe(composer)
    expect(composer.value).toBe('kept across the switch')
    setUiLanguage('en')
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy()
  })
})
