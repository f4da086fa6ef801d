import { afterEach, beforeAll, vi } from 'vitest'
import { SIM_ORIGIN, sim } from './helpers.ts'

// The worker and its Durable Objects run in the tests' isolate, so replacing the global fetch
// routes their backend calls to this file's simulator in-process. Anything else goes out as usual.
beforeAll(() => {
  const realFetch = globalThis.fetch
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    if (request.url.startsWith(`${SIM_ORIGIN}/`)) return sim.fetch(request)
    return realFetch(request)
  })
})

afterEach(() => {
  sim.control.clearFaults()
})
