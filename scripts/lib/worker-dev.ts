/**
 * Child-process entry: runs the worker under wrangler's local dev server (workerd) without file
 * watching, so edits elsewhere in the checkout never reload it mid-test. Prints `READY <url>` once
 * it serves. Input (JSON in WORKER_DEV): { port, persistTo, vars, config?, inspectorPort? }. SIGTERM stops it.
 * @module
 */
import { unstable_startWorker } from 'wrangler'
import { fileURLToPath } from 'node:url'

const input = JSON.parse(process.env.WORKER_DEV ?? '{}') as {
  port: number
  persistTo: string
  vars: Record<string, string>
  config?: string
  /** The profiler's way in (scripts/bench/profile-chat.ts); off otherwise. */
  inspectorPort?: number
}
const config = input.config ?? fileURLToPath(new URL('../../wrangler.toml', import.meta.url))

const worker = await unstable_startWorker({
  config,
  bindings: Object.fromEntries(
    Object.entries(input.vars).map(([name, value]) => [name, { type: 'plain_text', value }]),
  ),
  dev: {
    server: { hostname: '127.0.0.1', port: input.port },
    inspector:
      input.inspectorPort === undefined
        ? false
        : { hostname: '127.0.0.1', port: input.inspectorPort },
    persist: input.persistTo,
    watch: false,
    remote: false,
  },
})
await worker.ready
console.log(`READY ${(await worker.url).origin}`)

const stop = () => {
  void worker.dispose().finally(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
