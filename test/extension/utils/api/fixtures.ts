import {
  ExportJob,
  InstallationCreated,
  type ApiError,
  type ChatEvent,
} from '../../../../shared/api/index.ts'

/** Worker answers for the extension's tests, built through the shared schemas. */

export const KEY_A = `inst_${'a'.repeat(20)}.${'s'.repeat(40)}`
export const KEY_B = `inst_${'b'.repeat(20)}.${'t'.repeat(40)}`
export const SESSION = `ses_${'1'.repeat(20)}`
export const RUN = `run_${'2'.repeat(20)}`
export const JOB = `job_${'3'.repeat(20)}`
export const JOB2 = `job_${'4'.repeat(20)}`

export function created(key: string) {
  return InstallationCreated.parse({
    installationId: key.split('.')[0],
    key,
    tokenKind: 'anonymous',
  })
}

export function job(over: Partial<ExportJob> = {}, id = JOB): ExportJob {
  return ExportJob.parse({
    jobId: id,
    sessionId: SESSION,
    preset: '16:9',
    width: 1920,
    height: 1080,
    status: 'processing',
    progress: 10,
    createdAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:00:30.000Z',
    ...over,
  })
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

export function errorResponse(error: ApiError, status: number): Response {
  return json({ error }, status)
}

export function sseFrame(seq: number, event: ChatEvent): string {
  return `event: ${event.type}\nid: ${seq}\ndata: ${JSON.stringify(event)}\n\n`
}

/** A fetch that answers from a route table keyed by "METHOD path", recording every request. */
export function routeFetch(routes: Record<string, (req: Request) => Response | Promise<Response>>) {
  const requests: Request[] = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input, init)
    requests.push(req.clone())
    const url = new URL(req.url)
    const handler = routes[`${req.method} ${url.pathname}`]
    if (!handler) return json({ error: { code: 'not_found', message: 'no route' } }, 404)
    return handler(req)
  }
  return { fetch: fetchImpl as typeof fetch, requests }
}
