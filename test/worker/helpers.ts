import { env, exports } from 'cloudflare:workers'
import { InstallationCreated } from '../../shared/api/installations.ts'
import { InstallationRecord, kvKey } from '../../worker/installations/record.ts'
import { createSimulator } from '../simulator/index.ts'
import { recordResponse } from './secret-scan.ts'

/** Where the worker under test reaches the backend (vitest.config.ts sets UPSTREAM_BASE_URL). */
export const SIM_ORIGIN = 'http://nemo.sim'
const WORKER_ORIGIN = 'https://pagereel.test'

/**
 * This test file's backend. Fast clock; the per-IP token cap is lifted because every worker call
 * reaches the simulator from the same address (tests that need the cap set it back).
 */
export const sim = createSimulator({
  timeScale: 0.001,
  tokensPerIp: 100_000,
  render: { mode: 'polls', pollsToComplete: 2 },
})

let ipCounter = 0
/** A client address of its own, so registration rate limits of different tests never collide. */
export function uniqueIp(): string {
  ipCounter += 1
  const n = Math.floor(Math.random() * 1_000_000) * 1000 + ipCounter
  return `2001:db8::${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`
}

/** Calls the worker through its real entry point (`exports.default.fetch`). */
export async function api(path: string, init: RequestInit = {}, key?: string): Promise<Response> {
  const headers = new Headers(init.headers)
  if (key && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${key}`)
  if (!headers.has('CF-Connecting-IP')) headers.set('CF-Connecting-IP', uniqueIp())
  const res = await exports.default.fetch(
    new Request(`${WORKER_ORIGIN}${path}`, { ...init, headers }),
  )
  // Recorded for the suite-wide secret scan (secret-scan.ts, run by setup.ts after each file).
  const method = (init.method ?? 'GET').toUpperCase()
  return recordResponse(
    `${method} ${path} -> ${res.status}`,
    res,
    method === 'POST' && path === '/v1/installations',
  )
}

/** A JSON request init. */
export function json(method: string, body: unknown, headers: HeadersInit = {}): RequestInit {
  return {
    method,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...Object.fromEntries(new Headers(headers)) },
  }
}

/** Registers a new installation and returns its answer (the key among it). */
export async function register(language = 'en', ip = uniqueIp()): Promise<InstallationCreated> {
  const res = await api('/v1/installations', json('POST', { language }, { 'CF-Connecting-IP': ip }))
  if (res.status !== 201)
    throw new Error(`registration answered ${res.status}: ${await res.text()}`)
  return InstallationCreated.parse(await res.json())
}

/** The installation's KV record, as the worker stored it (tests may look at tokens; the API never shows them). */
export async function recordOf(installationId: string): Promise<InstallationRecord> {
  return InstallationRecord.parse(await env.INSTALLATIONS.get(kvKey(installationId), 'json'))
}

/** The simulator's log entries of one endpoint since `since` (a log length taken earlier). */
export function logOf(endpoint: string, since = 0) {
  return sim.log.slice(since).filter((e) => e.endpoint === endpoint)
}

/** Opens a worker session (and a backend session behind it) for the installation. */
export async function openSession(key: string): Promise<string> {
  const res = await api('/v1/sessions', json('POST', { language: 'en' }), key)
  if (res.status !== 201) throw new Error(`session answered ${res.status}: ${await res.text()}`)
  const { sessionId } = (await res.json()) as { sessionId: string }
  return sessionId
}

/** A multipart body with one `files` part per file, as bytes (so its length is known). */
export function multipart(files: Array<{ name: string; type?: string; bytes: Uint8Array }>) {
  const boundary = `----pagereel${crypto.randomUUID().replaceAll('-', '')}`
  const enc = new TextEncoder()
  const pieces: Uint8Array[] = []
  for (const f of files) {
    pieces.push(
      enc.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\n` +
          `Content-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.bytes,
      enc.encode('\r\n'),
    )
  }
  pieces.push(enc.encode(`--${boundary}--\r\n`))
  const body = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of pieces) {
    body.set(p, at)
    at += p.byteLength
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Deterministic filler bytes. */
export function bytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i += 1) out[i] = (i * 31 + seed) & 0xff
  return out
}
