import { vi } from 'vitest'
import type { Simulator } from '../simulator/index.ts'

/**
 * The suite-wide leak check: everything the worker said to a test (response headers and bodies,
 * chat streams as they were read) and every console line printed in the test isolate is captured,
 * then searched for the secrets of the file's run: backend tokens, installation secrets and the
 * client ids the worker sent upstream. setup.ts installs the capture and fails the file on a leak.
 */

/** One captured piece of output. */
export interface Captured {
  where: string
  text: string
  /** A registration answer: it shows its own installation key once, by design. */
  showsOwnKey?: boolean
}

export type SecretKind = 'backend token' | 'installation secret' | 'client id'

export interface Secret {
  kind: SecretKind
  value: string
}

export interface Leak {
  kind: SecretKind
  where: string
  /** The line around the secret, with the secret itself masked. */
  excerpt: string
}

/** What this file's tests received and printed. */
export const captured: Captured[] = []
/** Installation secrets shown by registration answers (the part of the key after the dot). */
export const installationSecrets = new Set<string>()
/** Backend tokens seen in the simulator's answers to the worker. */
export const issuedTokens = new Set<string>()
/** Body reads still in flight; awaited before the scan. */
const pending: Promise<void>[] = []

const TOKEN = /nmv_[A-Za-z0-9_]+/g
// Shorter values could match by chance (ids, counters); real secrets are far longer.
const MIN_SECRET_LENGTH = 12

/**
 * Records a worker answer and hands back an equivalent one for the test. Headers are recorded at
 * once; a JSON or file body through a clone read in the background; an event stream through a
 * pass-through, so what is recorded is exactly what the test read and a reader that cancels still
 * cancels the worker's stream.
 */
export function recordResponse(where: string, res: Response, registration = false): Response {
  const headerLines = [...res.headers].map(([name, value]) => `${name}: ${value}`).join('\n')
  captured.push({ where: `${where} (headers)`, text: headerLines })
  if (res.body === null) return res
  if ((res.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
    const entry: Captured = { where: `${where} (stream)`, text: '' }
    captured.push(entry)
    const decoder = new TextDecoder()
    const recorder = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        entry.text += decoder.decode(chunk, { stream: true })
        controller.enqueue(chunk)
      },
    })
    return new Response(res.body.pipeThrough(recorder), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    })
  }
  const copy = res.clone()
  pending.push(
    // Bytes, not .text(): a file answer is not text, but a secret inside it would still be ASCII.
    copy.arrayBuffer().then(
      (buffer) => {
        const text = new TextDecoder().decode(buffer)
        captured.push({
          where: `${where} (body)`,
          text,
          ...(registration && { showsOwnKey: true }),
        })
        if (registration) rememberInstallationKey(text)
      },
      () => undefined,
    ),
  )
  return res
}

function rememberInstallationKey(body: string): void {
  try {
    const key = (JSON.parse(body) as { key?: unknown }).key
    if (typeof key === 'string' && key.includes('.'))
      installationSecrets.add(key.slice(key.indexOf('.') + 1))
  } catch {
    // Not a registration answer with a key (an error envelope): nothing to remember.
  }
}

/** Notes backend tokens in an answer the simulator gave the worker (e.g. a new anonymous token). */
export function noteIssuedTokens(text: string): void {
  for (const m of text.matchAll(TOKEN)) issuedTokens.add(m[0])
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const

/** Spies on console.* (still printing): every line the worker or its objects print is captured. */
export function captureConsole(): void {
  for (const method of CONSOLE_METHODS) {
    const original = console[method].bind(console)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push({ where: `console.${method}`, text: args.map(formatArg).join(' ') })
      original(...args)
    })
  }
}

/** A console argument as text, deep enough to show a secret hidden in an object or an error. */
export function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg
  if (arg instanceof Error) {
    const cause = arg.cause === undefined ? '' : ` [cause: ${formatArg(arg.cause)}]`
    return `${arg.name}: ${arg.message}\n${arg.stack ?? ''}${cause}`
  }
  const seen = new WeakSet<object>()
  try {
    return (
      JSON.stringify(arg, (_key, value: unknown) => {
        if (value instanceof Error) return formatArg(value)
        if (typeof value === 'object' && value !== null) {
          if (seen.has(value)) return '[circular]'
          seen.add(value)
        }
        return typeof value === 'bigint' ? String(value) : value
      }) ?? String(arg)
    )
  } catch {
    return String(arg)
  }
}

/**
 * Every secret of the file's run: tokens the simulator issued or was sent, the client ids the
 * worker sent it, and the installation secrets registration answers showed.
 */
export function collectSecrets(sim: Simulator): Secret[] {
  const tokens = new Set(issuedTokens)
  const clientIds = new Set<string>()
  for (const entry of sim.log) {
    const auth = entry.headers['authorization']
    if (auth?.startsWith('Bearer ')) tokens.add(auth.slice(7).trim())
    const clientId = entry.headers['x-client-id']
    if (clientId) clientIds.add(clientId)
    // A user's own token is checked by the worker against the backend; the check carries it.
    if (entry.body !== undefined) noteIssuedTokensIn(JSON.stringify(entry.body), tokens)
  }
  const secrets: Secret[] = [
    ...[...tokens].map((value) => ({ kind: 'backend token' as const, value })),
    ...[...installationSecrets].map((value) => ({ kind: 'installation secret' as const, value })),
    ...[...clientIds].map((value) => ({ kind: 'client id' as const, value })),
  ]
  return secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH)
}

function noteIssuedTokensIn(text: string, into: Set<string>): void {
  for (const m of text.matchAll(TOKEN)) into.add(m[0])
}

/** Where any secret shows up in the captured output. A registration answer may show its own key. */
export function findLeaks(items: readonly Captured[], secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = []
  for (const item of items) {
    for (const secret of secrets) {
      if (item.showsOwnKey && secret.kind === 'installation secret') continue
      const at = item.text.indexOf(secret.value)
      if (at < 0) continue
      const excerpt = item.text
        .slice(Math.max(0, at - 60), at + secret.value.length + 60)
        .replaceAll(secret.value, `<${secret.kind}>`)
      leaks.push({ kind: secret.kind, where: item.where, excerpt })
    }
  }
  return leaks
}

/** Waits for the background body reads, then scans; for setup.ts's afterAll. */
export async function scanFile(sim: Simulator): Promise<Leak[]> {
  await Promise.all(pending.splice(0))
  return findLeaks(captured, collectSecrets(sim))
}
