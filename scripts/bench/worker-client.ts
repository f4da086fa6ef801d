/**
 * The few worker calls the benchmarks make, straight over HTTP as the extension makes them.
 * @module
 */
import { randomUUID } from 'node:crypto'
import { paths } from '../../shared/api/routes.ts'

export interface Installation {
  key: string
}

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 300)}`)
  return (await res.json()) as T
}

/**
 * Registers an installation. `address` goes in CF-Connecting-IP: registrations are limited per
 * address (REGISTER_RATE_LIMITER, 20 a minute), and the bench stands for many users.
 */
export async function register(workerUrl: string, address: string): Promise<Installation> {
  const res = await fetch(workerUrl + paths.installations, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': address },
    body: '{}',
  })
  const { key } = await json<{ key: string }>(res, 'register')
  return { key }
}

export function authHeaders(inst: Installation): Record<string, string> {
  return { authorization: `Bearer ${inst.key}`, 'content-type': 'application/json' }
}

export async function createSession(workerUrl: string, inst: Installation): Promise<string> {
  const res = await fetch(workerUrl + paths.sessions, { method: 'POST', headers: authHeaders(inst), body: '{}' })
  return (await json<{ sessionId: string }>(res, 'create session')).sessionId
}

export async function sendMessage(workerUrl: string, inst: Installation, sessionId: string, text: string): Promise<string> {
  const res = await fetch(workerUrl + paths.messages(sessionId), {
    method: 'POST',
    headers: authHeaders(inst),
    body: JSON.stringify({ text, clientMessageId: `bench_${randomUUID()}` }),
  })
  return (await json<{ runId: string }>(res, 'send message')).runId
}

/** The run's events from the first one, as SSE. */
export async function openRunEvents(
  workerUrl: string,
  inst: Installation,
  sessionId: string,
  runId: string,
  signal: AbortSignal,
): Promise<Response> {
  const res = await fetch(`${workerUrl}${paths.runEvents(sessionId, runId)}?after=0`, {
    headers: { authorization: `Bearer ${inst.key}`, accept: 'text/event-stream' },
    signal,
  })
  if (!res.ok) throw new Error(`run events: ${res.status} ${await res.text()}`)
  return res
}

export async function createExport(
  workerUrl: string,
  inst: Installation,
  sessionId: string,
  idempotencyKey: string,
): Promise<string> {
  const res = await fetch(workerUrl + paths.createExport(sessionId), {
    method: 'POST',
    headers: authHeaders(inst),
    body: JSON.stringify({ preset: '16:9', idempotencyKey }),
  })
  return (await json<{ jobId: string }>(res, 'create export')).jobId
}

export async function readExportStatus(workerUrl: string, inst: Installation, jobId: string): Promise<string> {
  const res = await fetch(workerUrl + paths.exportJob(jobId), { headers: authHeaders(inst) })
  return (await json<{ status: string }>(res, 'read export')).status
}
