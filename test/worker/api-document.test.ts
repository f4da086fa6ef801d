import { describe, it } from 'vitest'
import { api } from './helpers.ts'

describe('the API document', () => {
  it('is the one committed in test/api/openapi.json (linted and turned into a client there)', async ({
    expect,
  }) => {
    const res = await api('/v1/openapi.json')
    expect(res.status).toBe(200)
    const doc: unknown = await res.json()
    // `vitest run -u` writes it again after a route changes.
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot('../api/openapi.json')
  })
})
