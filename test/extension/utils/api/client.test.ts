import { beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { paths } from '../../../../shared/api/index.ts'
import { ApiRequestError, createWorkerClient } from '../../../../extension/utils/api/index.ts'
import { getWorkerClient } from '../../../../extension/utils/installation.ts'
import { installationItem, trayItem } from '../../../../extension/utils/storage.ts'
import { KEY_A, KEY_B, SESSION, created, errorResponse, job, json, routeFetch } from './fixtures.ts'

beforeEach(() => {
  fakeBrowser.reset()
})

describe('createWorkerClient', () => {
  it('sends the key as a bearer token and parses the answer with the shared schema', async () => {
    const { fetch, requests } = routeFetch({
      [`GET ${paths.exportJob(job().jobId)}`]: () => json(job()),
    })
    const api = createWorkerClient({ baseUrl: 'http://w.test/', getKey: async () => KEY_A, fetch })
    const got = await api.getExport(job().jobId)
    expect(got.status).toBe('processing')
    expect(requests[0]!.url).toBe(`http://w.test${paths.exportJob(job().jobId)}`)
    expect(requests[0]!.headers.get('Authorization')).toBe(`Bearer ${KEY_A}`)
  })

  it('throws the worker error envelope as an ApiRequestError', async () => {
    const { fetch } = routeFetch({
      [`POST ${paths.createExport(SESSION)}`]: () =>
        errorResponse(
          { code: 'plan_required', message: 'Register', action: { kind: 'set_api_token' } },
          403,
        ),
    })
    const api = createWorkerClient({ baseUrl: 'http://w.test', getKey: async () => KEY_A, fetch })
    const err = await api
      .createExport(SESSION, { preset: '1:1', idempotencyKey: 'abcdefgh12' })
      .catch((e) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect(err.source).toBe('worker')
    expect(err.status).toBe(403)
    expect(err.error.code).toBe('plan_required')
    expect(err.error.action).toEqual({ kind: 'set_api_token' })
  })

  it('turns a network failure into an unreachable ApiRequestError', async () => {
    const api = createWorkerClient({
      baseUrl: 'http://w.test',
      getKey: async () => KEY_A,
      fetch: async () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const err = await api.getCredits().catch((e) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect(err.source).toBe('unreachable')
    expect(err.error.code).toBe('upstream_unavailable')
    expect(err.status).toBe(0)
  })

  it('refuses a 2xx answer that does not match the schema', async () => {
    const { fetch } = routeFetch({ [`GET ${paths.credits}`]: () => json({ available: 'lots' }) })
    const api = createWorkerClient({ baseUrl: 'http://w.test', getKey: async () => KEY_A, fetch })
    await expect(api.getCredits()).rejects.toMatchObject({
      error: { code: 'upstream_unavailable' },
    })
  })
})

describe('getWorkerClient', () => {
  it('registers lazily on first use and keeps the key in storage', async () => {
    const { fetch, requests } = routeFetch({
      [`POST ${paths.installations}`]: () => json(created(KEY_A), 201),
      [`GET ${paths.exports}`]: () => json({ jobs: [job()] }),
    })
    const list = await getWorkerClient(fetch).listExports()
    expect(list.jobs).toHaveLength(1)
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `POST ${paths.installations}`,
      `GET ${paths.exports}`,
    ])
    expect(requests[0]!.headers.get('Authorization')).toBeNull()
    expect((await installationItem.getValue())?.key).toBe(KEY_A)
  })

  it('re-registers once on 401 and retries, keeping the tray', async () => {
    await installationItem.setValue({ installationId: 'inst_old', key: KEY_A })
    await trayItem.setValue({
      items: [{ kind: 'text', id: 'txt_1', text: 'hello', pageUrl: 'https://p.test/' }],
    })
    const { fetch, requests } = routeFetch({
      [`POST ${paths.installations}`]: () => json(created(KEY_B), 201),
      [`GET ${paths.credits}`]: (req) =>
        req.headers.get('Authorization') === `Bearer ${KEY_B}`
          ? json({ available: 5, frozen: 0, total: 5, tokenKind: 'anonymous' })
          : errorResponse({ code: 'unauthorized', message: 'unknown installation' }, 401),
    })
    const credits = await getWorkerClient(fetch).getCredits()
    expect(credits.available).toBe(5)
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      paths.credits,
      paths.installations,
      paths.credits,
    ])
    expect((await installationItem.getValue())?.key).toBe(KEY_B)
    expect((await trayItem.getValue()).items).toHaveLength(1)
  })

  it('gives up after one re-registration when the worker keeps refusing', async () => {
    await installationItem.setValue({ installationId: 'inst_old', key: KEY_A })
    const { fetch, requests } = routeFetch({
      [`POST ${paths.installations}`]: () => json(created(KEY_B), 201),
      [`GET ${paths.credits}`]: () => errorResponse({ code: 'unauthorized', message: 'no' }, 401),
    })
    await expect(getWorkerClient(fetch).getCredits()).rejects.toMatchObject({ status: 401 })
    expect(requests.filter((r) => new URL(r.url).pathname === paths.installations)).toHaveLength(1)
  })
})
