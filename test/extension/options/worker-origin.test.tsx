import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { InstallationInfo, paths } from '../../../shared/api/index.ts'
import { OptionsApp } from '../../../extension/entrypoints/options/OptionsApp.tsx'
import { setUiLanguage } from '../../../extension/utils/i18n.ts'
import {
  getInstallationKey,
  getWorkerClient,
  registrationCodeItem,
} from '../../../extension/utils/installation.ts'
import { settingsItem } from '../../../extension/utils/storage.ts'
import { getWorkerUrl, isAllowedWorkerUrl } from '../../../extension/utils/worker-url.ts'
import { KEY_A, KEY_B, json, routeFetch } from '../utils/api/fixtures.ts'

/** Issue 11, item 8: the key belongs to the worker origin that issued it; https (or loopback). */

afterEach(cleanup)

beforeEach(() => {
  fakeBrowser.reset()
  setUiLanguage('en')
  vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false as never)
})

const info = (extra: Partial<InstallationInfo> = {}) =>
  json(
    InstallationInfo.parse({
      installationId: 'inst_x',
      tokenKind: 'anonymous',
      createdAt: '2026-11-24T10:00:00.000Z',
      ...extra,
    }),
  )

/** Two workers: the local one issues KEY_A, https://other.example issues KEY_B. */
function twoWorkers(register?: (req: Request) => Response | Promise<Response>) {
  return routeFetch({
    [`POST ${paths.installations}`]:
      register ??
      ((req) => {
        const local = new URL(req.url).hostname === '127.0.0.1'
        return json(
          { installationId: 'inst_x', key: local ? KEY_A : KEY_B, tokenKind: 'anonymous' },
          201,
        )
      }),
    [`GET ${paths.me}`]: () => info(),
  })
}

describe('the installation key and the worker URL', () => {
  it('is never sent to another worker: a new URL registers anew there', async () => {
    const worker = twoWorkers()
    expect(await getInstallationKey({}, worker.fetch)).toBe(KEY_A)
    await settingsItem.update((s) => ({ ...s, workerUrl: 'https://other.example' }))
    await getWorkerClient(worker.fetch).getInstallation()
    const toOther = worker.requests.filter((r) => new URL(r.url).hostname === 'other.example')
    expect(toOther.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `POST ${paths.installations}`,
      `GET ${paths.me}`,
    ])
    expect(toOther.map((r) => r.headers.get('Authorization'))).toEqual([null, `Bearer ${KEY_B}`])
    expect(
      worker.requests.some(
        (r) =>
          r.headers.get('Authorization')?.includes(KEY_A) && !r.url.startsWith('http://127.0.0.1'),
      ),
    ).toBe(false)
  })

  it('goes only over https, or plain http to this machine', async () => {
    expect(isAllowedWorkerUrl('https://pagereel.example.workers.dev')).toBe(true)
    expect(isAllowedWorkerUrl('http://127.0.0.1:8787')).toBe(true)
    expect(isAllowedWorkerUrl('http://localhost:8787')).toBe(true)
    expect(isAllowedWorkerUrl('http://[::1]:8787')).toBe(true)
    expect(isAllowedWorkerUrl('http://pagereel.example')).toBe(false)
    expect(isAllowedWorkerUrl('http://127.0.0.1.evil.example')).toBe(false)
    expect(isAllowedWorkerUrl('https://user:pw@pagereel.example')).toBe(false)
    // An insecure URL stored by an older version is not used.
    await settingsItem.update((s) => ({ ...s, workerUrl: 'http://pagereel.example' }))
    expect(await getWorkerUrl()).toBe('http://127.0.0.1:8787')
  })

  it('the options page refuses a plain-http worker URL that is not this machine', async () => {
    render(<OptionsApp api={getWorkerClient(twoWorkers().fetch)} />)
    const field = (await screen.findByLabelText('Worker URL')) as HTMLInputElement
    fireEvent.input(field, { target: { value: 'http://pagereel.example' } })
    fireEvent.click(screen.getByText('Save'))
    await screen.findByText(/must use https/)
    expect((await settingsItem.getValue()).workerUrl).toBeUndefined()
    fireEvent.input(field, { target: { value: 'http://localhost:8787' } })
    fireEvent.click(screen.getByText('Save'))
    await waitFor(async () =>
      expect((await settingsItem.getValue()).workerUrl).toBe('http://localhost:8787'),
    )
  })
})

describe('a private worker', () => {
  it('asks for its registration code in the options, then registers with it', async () => {
    const worker = twoWorkers(async (req) => {
      const body = (await req.json()) as { registrationCode?: string }
      if (body.registrationCode !== 'open sesame') {
        return json({ error: { code: 'registration_code_required', message: 'private' } }, 403)
      }
      return json({ installationId: 'inst_x', key: KEY_A, tokenKind: 'user' }, 201)
    })
    render(<OptionsApp api={getWorkerClient(worker.fetch)} />)
    const field = (await screen.findByLabelText('Registration code')) as HTMLInputElement
    await screen.findByText(/This PageReel server is private: enter its registration code/)
    fireEvent.input(field, { target: { value: ' open sesame ' } })
    fireEvent.click(screen.getByText('Register'))
    await screen.findByText('Registered with this server.')
    expect(await registrationCodeItem.getValue()).toEqual({
      origin: 'http://127.0.0.1:8787',
      code: 'open sesame',
    })
    const posts = worker.requests.filter((r) => r.method === 'POST')
    expect(await posts.at(-1)!.json()).toMatchObject({ registrationCode: 'open sesame' })
    // The code is for this origin only: another worker does not get it.
    await settingsItem.update((s) => ({ ...s, workerUrl: 'https://other.example' }))
    await getInstallationKey({}, worker.fetch).catch(() => undefined)
    const toOther = worker.requests.filter((r) => new URL(r.url).hostname === 'other.example')
    expect(await toOther[0]!.json()).not.toHaveProperty('registrationCode')
  })
})
