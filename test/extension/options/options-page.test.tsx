import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { InstallationInfo, paths } from '../../../shared/api/index.ts'
import { OptionsApp } from '../../../extension/entrypoints/options/OptionsApp.tsx'
import { createWorkerClient } from '../../../extension/utils/api/index.ts'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'
import { settingsItem } from '../../../extension/utils/storage.ts'
import { KEY_A, json, routeFetch } from '../utils/api/fixtures.ts'

const TOKEN = 'nmv_usr_0123456789abcdef'

afterEach(cleanup)

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('en')
  vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false as never)
})

function setup(
  tokenKind: 'anonymous' | 'user' = 'anonymous',
  extra: Partial<InstallationInfo> = {},
) {
  const state = { tokenKind }
  const worker = routeFetch({
    [`GET ${paths.me}`]: () =>
      json(
        InstallationInfo.parse({
          installationId: 'inst_x',
          tokenKind: state.tokenKind,
          createdAt: '2026-11-24T10:00:00.000Z',
          ...extra,
        }),
      ),
    [`PUT ${paths.apiToken}`]: () => {
      state.tokenKind = 'user'
      return new Response(null, { status: 204 })
    },
    [`DELETE ${paths.apiToken}`]: () => {
      state.tokenKind = 'anonymous'
      return new Response(null, { status: 204 })
    },
  })
  const api = createWorkerClient({
    baseUrl: 'http://w.test',
    getKey: async () => KEY_A,
    fetch: worker.fetch,
  })
  render(<OptionsApp api={api} />)
  return worker
}

describe('options page', () => {
  it('sends the API token once, empties the field and keeps it nowhere', async () => {
    const worker = setup()
    await screen.findByText('Using a free anonymous token.')
    const field = screen.getByLabelText('NemoVideo API token') as HTMLInputElement
    fireEvent.input(field, { target: { value: TOKEN } })
    fireEvent.click(screen.getByText('Use this token'))
    expect(field.value).toBe('')
    await screen.findByText('An API token is set.')
    const put = worker.requests.find((r) => r.method === 'PUT')!
    expect(await put.json()).toEqual({ token: TOKEN })
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(TOKEN)
    fireEvent.click(screen.getByText('Remove token'))
    await screen.findByText('Using a free anonymous token.')
  })

  it('says when the user must set their own token, and links registration', async () => {
    setup('anonymous', {
      needsApiToken: true,
      registerUrl: 'https://nemovideo.com/register?bind=anon_1',
    })
    await screen.findByText(/Set your own API token to continue/)
    expect(screen.getByText('Register with NemoVideo').getAttribute('href')).toBe(
      'https://nemovideo.com/register?bind=anon_1',
    )
  })

  it('validates the worker URL and resets it to the default', async () => {
    setup()
    const field = (await screen.findByLabelText('Worker URL')) as HTMLInputElement
    await waitFor(() => expect(field.value).toBe('http://127.0.0.1:8787'))
    fireEvent.input(field, { target: { value: 'ftp://nope' } })
    fireEvent.click(screen.getByText('Save'))
    await screen.findByText('Enter an http or https URL.')
    expect((await settingsItem.getValue()).workerUrl).toBeUndefined()
    fireEvent.input(field, { target: { value: 'https://pagereel.example.workers.dev' } })
    fireEvent.click(screen.getByText('Save'))
    await waitFor(async () =>
      expect((await settingsItem.getValue()).workerUrl).toBe(
        'https://pagereel.example.workers.dev',
      ),
    )
    fireEvent.click(screen.getByText('Reset to default'))
    await waitFor(async () => expect((await settingsItem.getValue()).workerUrl).toBeUndefined())
  })

  it('stores the UI language', async () => {
    setup()
    const select = (await screen.findByLabelText('Language')) as HTMLSelectElement
    fireEvent.change(select, { target: { value: 'zh' } })
    await waitFor(async () => expect((await settingsItem.getValue()).uiLanguage).toBe('zh'))
  })
})
