import { runDurableObjectAlarm } from 'cloudflare:test'
import createClient, { type Middleware } from 'openapi-fetch'
import { afterEach, describe, expect, it } from 'vitest'
import { MessageAccepted } from '../../shared/api/sessions.ts'
import type { paths } from '../api/openapi-types.ts'
import { replyText, readFrames } from './chat-helpers.ts'
import { disarmJobs, stubOf } from './exports-fixtures.ts'
import { api, sim, uniqueIp } from './helpers.ts'

afterEach(() => disarmJobs())

const BASE_URL = 'https://pagereel.test'
const documented = new Map<string, Set<string>>()

/** The worker behind the generated client: its real entry point, recorded for the secret scan. */
async function workerFetch(request: Request): Promise<Response> {
  const url = new URL(request.url)
  const body = request.method === 'GET' ? undefined : await request.arrayBuffer()
  return api(url.pathname + url.search, { method: request.method, headers: request.headers, body })
}

/** Every answer's status must be one the document lists for its operation. */
function statusesOf(doc: OpenApiDoc): Middleware {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      documented.set(`${method.toUpperCase()} ${path}`, new Set(Object.keys(op.responses)))
    }
  }
  return {
    onResponse({ response, schemaPath, request }) {
      const listed = documented.get(`${request.method} ${schemaPath}`)
      expect(listed, `${request.method} ${schemaPath} is documented`).toBeDefined()
      expect([...listed!], `${request.method} ${schemaPath}`).toContain(String(response.status))
    },
  }
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
}

describe('the README walkthrough through a client generated from /v1/openapi.json', () => {
  it('registers, reads credits, opens a session, uploads, chats (SSE), reads the state and exports a file', async () => {
    sim.control.configure({
      anonymousRenderBlocked: false,
      render: { mode: 'polls', pollsToComplete: 1 },
    })
    const ip = uniqueIp()
    const open = createClient<paths>({
      baseUrl: BASE_URL,
      fetch: workerFetch,
      headers: { 'CF-Connecting-IP': ip },
    })
    const { data: doc } = await open.GET('/v1/openapi.json' as never)
    const checkStatuses = statusesOf(doc as unknown as OpenApiDoc)
    open.use(checkStatuses)

    const registered = await open.POST('/v1/installations', { body: { language: 'en' } })
    expect(registered.response.status).toBe(201)
    const client = createClient<paths>({
      baseUrl: BASE_URL,
      fetch: workerFetch,
      headers: { 'CF-Connecting-IP': ip, Authorization: `Bearer ${registered.data!.key}` },
    })
    client.use(checkStatuses)

    const credits = await client.GET('/v1/credits')
    expect(credits.data!.available).toBeGreaterThan(0)

    const session = await client.POST('/v1/sessions', { body: { language: 'en' } })
    const sessionId = session.data!.sessionId
    const params = { path: { sessionId } }

    const byUrl = await client.POST('/v1/sessions/{sessionId}/uploads/urls', {
      params,
      body: { urls: ['https://images.example.com/a/photo.jpg'] },
    })
    expect(byUrl.data!.files.map((f) => f.filename)).toEqual(['photo.jpg'])
    const form = new FormData()
    form.append(
      'files',
      new File([new Uint8Array(2000).fill(7)], 'clip.mp4', { type: 'video/mp4' }),
    )
    const uploaded = await client.POST('/v1/sessions/{sessionId}/uploads', {
      params,
      body: { files: [] },
      bodySerializer: () => form,
    })
    expect(uploaded.data!.files.map((f) => f.filename)).toEqual(['clip.mp4'])

    const sent = await client.POST('/v1/sessions/{sessionId}/messages', {
      params,
      body: { text: 'Make a 20-second video from these images', clientMessageId: 'msg-0001' },
    })
    // Asked for JSON (openapi-fetch's default Accept), the answer is 202 with the run id alone.
    expect(sent.response.status).toBe(202)
    const runId = MessageAccepted.parse(sent.data).runId
    const events = await client.GET('/v1/sessions/{sessionId}/runs/{runId}/events', {
      params: { path: { sessionId, runId } },
      parseAs: 'stream',
    })
    expect(events.response.headers.get('Content-Type')).toMatch(/^text\/event-stream/)
    const { frames } = await readFrames(new Response(events.data as ReadableStream<Uint8Array>))
    expect(frames.at(-1)?.data.type).toBe('done')
    expect(replyText(frames.map((f) => f.data)).length).toBeGreaterThan(0)

    const state = await client.GET('/v1/sessions/{sessionId}/state', { params })
    expect(state.data!.timeline.tracks.length).toBeGreaterThan(0)

    const created = await client.POST('/v1/sessions/{sessionId}/exports', {
      params,
      body: { preset: '9:16', idempotencyKey: 'click-0001' },
    })
    expect(created.response.status).toBe(202)
    const jobId = created.data!.jobId
    expect(await runDurableObjectAlarm(stubOf(jobId))).toBe(true)
    const job = await client.GET('/v1/exports/{jobId}', { params: { path: { jobId } } })
    expect(job.data!.status).toBe('completed')

    const file = await client.GET('/v1/exports/{jobId}/file', {
      params: { path: { jobId } },
      parseAs: 'arrayBuffer',
    })
    expect(file.response.headers.get('Content-Type')).toBe('video/mp4')
    const head = new TextDecoder().decode(new Uint8Array(file.data as ArrayBuffer).slice(4, 8))
    expect(head).toBe('ftyp')
  })
})
