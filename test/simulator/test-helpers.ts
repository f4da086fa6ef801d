import { jsonData, readSse as readSseFrames } from '../lib/sse.ts'
import { createSimulator, type Simulator, type SimulatorConfigPatch } from './index.ts'

export const ORIGIN = 'https://mega-api-prod.nemovideo.ai'
export const SKILL_HEADERS = {
  'x-skill-source': 'ai-video-creator-online',
  'x-skill-version': '1.9.0',
  'x-skill-platform': 'unknown',
}

/** A fast simulator for tests: scaled time, deterministic renders. */
export function testSimulator(config: SimulatorConfigPatch = {}): Simulator {
  return createSimulator({
    timeScale: 0.0005,
    render: { mode: 'polls', pollsToComplete: 3 },
    ...config,
  })
}

export interface CallInit {
  method?: string
  token?: string
  json?: unknown
  body?: BodyInit | ReadableStream<Uint8Array>
  headers?: Record<string, string>
  skill?: boolean
}

/** Calls the simulator like the worker would: bearer token and X-Skill-* headers unless told. */
export function call(sim: Simulator, path: string, init: CallInit = {}): Promise<Response> {
  const headers: Record<string, string> = {
    ...(init.skill === false ? {} : SKILL_HEADERS),
    ...init.headers,
  }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let body = init.body
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.json)
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST')
  return sim.fetch(
    new Request(ORIGIN + path, { method, headers, body, duplex: 'half' } as RequestInit),
  )
}

export async function anonymousToken(
  sim: Simulator,
  clientId: string = crypto.randomUUID(),
  headers: Record<string, string> = {},
) {
  const res = await call(sim, '/api/auth/anonymous-token', {
    method: 'POST',
    headers: { 'x-client-id': clientId, ...headers },
  })
  const json = (await res.json()) as { code: number; data: { token: string; user_id: string } }
  if (json.code !== 0) throw new Error(`anonymous-token answered ${json.code}`)
  return json.data
}

export async function newSession(sim: Simulator, token: string, language = 'en'): Promise<string> {
  const res = await call(sim, '/api/tasks/me/with-session/nemo_agent', {
    token,
    json: { task_name: 'project', language },
  })
  const json = (await res.json()) as { data: { session_id: string } }
  return json.data.session_id
}

export function chat(
  sim: Simulator,
  token: string,
  sessionId: string,
  text: string,
): Promise<Response> {
  return call(sim, '/run_sse', {
    token,
    headers: { accept: 'text/event-stream' },
    json: {
      app_name: 'nemo_agent',
      user_id: 'me',
      session_id: sessionId,
      new_message: { parts: [{ text }] },
    },
  })
}

/** Reads a whole stream: its raw chunks, and the parsed `data:` payloads (non-JSON left out). */
export async function readSse(res: Response) {
  const { chunks, frames, comments } = await readSseFrames(res)
  return {
    chunks,
    data: frames.map((f) => f.data),
    comments,
    events: jsonData<Record<string, any>>(frames),
  }
}

/** The reply text of a turn in either style (ADK: the partial deltas, not the final repeat). */
export function replyText(events: Record<string, any>[]): string {
  return events
    .map((e) => {
      if (e.type === 'text') return e.content as string
      if (e.partial === true)
        return (e.content?.parts ?? []).map((p: { text?: string }) => p.text ?? '').join('')
      return ''
    })
    .join('')
}

export function toolNames(events: Record<string, any>[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'tool_call') return [e.name as string]
    return (e.content?.parts ?? []).flatMap((p: any) =>
      p.functionCall ? [p.functionCall.name as string] : [],
    )
  })
}
