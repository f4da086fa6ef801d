import { describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { api } from './helpers.ts'

describe('GET /v1/openapi.json', () => {
  it('is public and documents every route of shared/api/routes.ts', async ({ expect }) => {
    const res = await api('/v1/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
    }
    expect(doc.openapi).toBe('3.1.0')
    const expected: Array<[string, string]> = [
      ['post', paths.installations],
      ['get', paths.me],
      ['delete', paths.me],
      ['put', paths.apiToken],
      ['delete', paths.apiToken],
      ['get', paths.credits],
      ['post', paths.sessions],
      ['get', paths.session('{sessionId}')],
      ['post', paths.messages('{sessionId}')],
      ['get', paths.runEvents('{sessionId}', '{runId}')],
      ['post', paths.uploads('{sessionId}')],
      ['post', paths.uploadUrls('{sessionId}')],
      ['get', paths.state('{sessionId}')],
      ['post', paths.claim('{sessionId}')],
      ['post', paths.createExport('{sessionId}')],
      ['get', paths.exports],
      ['get', paths.exportJob('{jobId}')],
      ['post', paths.cancelExport('{jobId}')],
      ['post', paths.downloadLink('{jobId}')],
      ['get', paths.exportFile('{jobId}')],
    ]
    for (const [method, path] of expected) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined()
    }
  })
})
