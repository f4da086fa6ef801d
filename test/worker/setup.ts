import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { SIM_ORIGIN, sim } from './helpers.ts'
import { captureConsole, noteIssuedTokens, scanFile } from './secret-scan.ts'

// The worker and its Durable Objects run in the tests' isolate, so replacing the global fetch
// routes their backend calls to this file's simulator in-process. Anything else goes out as usual.
beforeAll(() => {
  const realFetch = globalThis.fetch
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    if (request.url.startsWith(`${SIM_ORIGIN}/`)) {
      const res = await answerOrAbort(sim.fetch(request), request.signal)
      // Token answers are remembered for the secret scan: an issued token must never reach a test.
      if (new URL(request.url).pathname.startsWith('/api/auth/'))
        noteIssuedTokens(await res.clone().text())
      return res
    }
    return realFetch(request)
  })
  captureConsole()
})

// No token, installation secret or client id in anything a test received or the isolate printed.
afterAll(async () => {
  const leaks = await scanFile(sim)
  if (leaks.length > 0) {
    const lines = leaks.slice(0, 10).map((l) => `- ${l.kind} in ${l.where}: ${l.excerpt}`)
    throw new Error(`secret scan: ${leaks.length} leak(s)\n${lines.join('\n')}`)
  }
})

afterEach(() => {
  sim.control.clearFaults()
})

/**
 * Like a real fetch, a simulator call gives up when its signal aborts (an upstream timeout, a
 * cancelled turn): the in-process app itself never looks at the signal.
 */
function answerOrAbort(answer: Promise<Response>, signal: AbortSignal): Promise<Response> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
