import { createServer, type Server } from 'node:http'
import type { TestProject } from 'vitest/node'
import { startStack, type Stack } from '../../scripts/lib/stack.ts'
import type { E2eEnv } from './env.ts'
import { firefoxBuildOf } from './lib/extension-build.ts'

/**
 * Starts the stack once for the whole e2e project and tears it down afterwards, even when tests
 * fail. Tests reach it through `inject('e2e')`; the worker restart goes through a small harness
 * endpoint because the worker process belongs to this (the main) process.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startStack({
    keepWorkDir: Boolean(process.env.E2E_KEEP),
    // NemoVideo since v1.8: anonymous tokens cannot render (402). Enough credits for the tour's
    // turns (the no-credits path sets its own balance), and enough free registrations from one
    // address for every profile the suite makes.
    simulator: { anonymousRenderBlocked: true, anonymousCredits: 5000, tokensPerIp: 1000 },
  })
  let harness: Server | undefined
  try {
    harness = await startHarnessServer(stack)
    const address = harness.address()
    const env: E2eEnv = {
      workDir: stack.workDir,
      simUrl: stack.sim!.url,
      workerUrl: stack.worker.url,
      siteUrl: stack.site.url,
      nemoWebUrl: stack.nemoWeb!.url,
      extensionDir: stack.extensionDir,
      firefoxExtensionDir: firefoxBuildOf(stack.extensionDir),
      downloadsDir: stack.downloadsDir,
      harnessUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    }
    project.provide('e2e', env)
  } catch (error) {
    harness?.close()
    await stack.stop()
    throw error
  }
  return async () => {
    harness?.closeAllConnections()
    harness?.close()
    await stack.stop()
  }
}

async function startHarnessServer(stack: Stack): Promise<Server> {
  const server = createServer((req, res) => {
    const done = (status: number, body: string) => res.writeHead(status).end(body)
    if (req.method === 'POST' && req.url === '/worker/restart') {
      stack.worker.restart().then(
        () => done(200, 'ok'),
        (error: Error) => done(500, error.message),
      )
    } else done(404, 'no such harness action')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}
