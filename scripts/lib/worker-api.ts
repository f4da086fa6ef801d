/**
 * The one worker client of the scripts and the browser suite: the extension's own
 * (`createWorkerClient`, every answer parsed with its shared schema), with the key given here
 * instead of the extension's storage. The browser suite reads what the worker holds through it,
 * the demo and the benchmarks drive the worker with it.
 * @module
 */
import { createWorkerClient, type WorkerClient } from '../../extension/utils/api/index.ts'
import type { ProjectState } from '../../shared/api/index.ts'
import { paths } from '../../shared/api/routes.ts'

export interface WorkerApi extends WorkerClient {
  /** The installation key this client sends ('' before registering). */
  readonly key: string
  /** A run's events from its first one, as the raw SSE answer (for `readSse`, which times them). */
  openRunEvents(sessionId: string, runId: string, signal?: AbortSignal): Promise<Response>
}

export interface WorkerApiOptions {
  /** The installation key (`<installationId>.<secret>`). */
  key?: string
  /**
   * The address the calls come from (`CF-Connecting-IP`): the worker limits registrations per
   * address, and a benchmark stands for many users.
   */
  address?: string
}

/** A client of the worker at `workerUrl` for one installation. */
export function workerApi(workerUrl: string, options: WorkerApiOptions = {}): WorkerApi {
  const key = options.key ?? ''
  const address = options.address
  const send: typeof fetch = (input, init) => {
    const request = new Request(input, init)
    if (address) request.headers.set('CF-Connecting-IP', address)
    return fetch(request)
  }
  const client = createWorkerClient({ baseUrl: workerUrl, getKey: async () => key, fetch: send })
  return {
    ...client,
    key,
    async openRunEvents(sessionId, runId, signal) {
      const res = await send(`${workerUrl}${paths.runEvents(sessionId, runId)}?after=0`, {
        headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
        ...(signal && { signal }),
      })
      if (!res.ok) throw new Error(`run events: ${res.status} ${await res.text()}`)
      return res
    },
  }
}

/** Registers a new installation and returns a client that uses its key. */
export async function registerInstallation(
  workerUrl: string,
  options: { address?: string; language?: string } = {},
): Promise<WorkerApi> {
  const address = options.address === undefined ? {} : { address: options.address }
  const created = await workerApi(workerUrl, address).register(options.language ?? 'en')
  return workerApi(workerUrl, { ...address, key: created.key })
}

export interface RunRecord {
  /** The reply's text: every `text` delta in order. */
  text: string
  /** Event types in order (`text`, `activity`, `summary`, `done`, …). */
  types: string[]
}

/**
 * Replays a chat run from its first event until its `done` or `error`; `opened` is the run's
 * events already open (`sendMessage`'s streamed answer), read before any request.
 */
export async function readRun(
  workerUrl: string,
  key: string,
  sessionId: string,
  runId: string,
  opened?: Response,
): Promise<RunRecord> {
  const record: RunRecord = { text: '', types: [] }
  await workerApi(workerUrl, { key }).streamRun(sessionId, runId, {
    onEvent: ({ event }) => {
      record.types.push(event.type)
      if (event.type === 'text') record.text += event.delta
    },
    signal: AbortSignal.timeout(120_000),
    opened,
  })
  return record
}

/** `GET /v1/exports/{id}` for the installation. */
export function readExport(workerUrl: string, key: string, jobId: string) {
  return workerApi(workerUrl, { key }).getExport(jobId)
}

/** `GET /v1/sessions/{id}/state`: the draft as the worker reads it (timeline and summary). */
export function readState(
  workerUrl: string,
  key: string,
  sessionId: string,
): Promise<ProjectState> {
  return workerApi(workerUrl, { key }).getState(sessionId)
}
