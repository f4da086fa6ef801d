/**
 * Not deployed (worker/index.ts never imports it): the chat benchmark's baseline
 * (scripts/bench/chat-relay.ts). The least a resumable relay does, run by the same local runtime
 * as the worker (wrangler dev's proxy, miniflare's entry worker, workerd): one request, whose
 * Durable Object opens the backend's `/run_sse`, reads it event by event, parses each, and stores
 * and sends on over the stream it answers through RPC the ones a client hears of (text and tool
 * calls, as the worker does; heartbeats and tool results stay behind). No key check, rate limit,
 * KV, GUI wording, sentence holding, draft read or second request: what the relay costs beyond
 * this is the worker's own.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'

interface BaselineEnv {
  UPSTREAM_BASE_URL: string
  RELAY: DurableObjectNamespace<BaselineRelay>
}

/** The backend's `/run_sse` request as the client sent it (token and body untouched). */
interface TurnRequest {
  authorization: string
  body: string
}

/** One per chat session, opened before the turn (as the worker's session is). */
export class BaselineRelay extends DurableObject<BaselineEnv> {
  open(): void {
    this.ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL)',
    )
  }

  async relay(turn: TurnRequest): Promise<ReadableStream<Uint8Array>> {
    const sql = this.ctx.storage.sql
    const upstream = await fetch(`${this.env.UPSTREAM_BASE_URL}/run_sse`, {
      method: 'POST',
      headers: {
        authorization: turn.authorization,
        'content-type': 'application/json',
        accept: 'text/event-stream',
      },
      body: turn.body,
    })
    if (upstream.body === null) throw new Error(`run_sse: ${upstream.status}`)
    const reader = upstream.body.getReader()
    const decoder = new TextDecoder()
    const encoder = new TextEncoder()
    // As the worker relays: a loop reads the backend's stream and hands each stored event to the
    // client's stream as it comes. The bench's wire is clean (LF, whole events, no comments): a
    // split on blank lines is enough.
    let buffer = ''
    return new ReadableStream<Uint8Array>({
      start(controller) {
        void (async () => {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return controller.close()
            buffer += decoder.decode(value, { stream: true })
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const frame = buffer.slice(0, end)
              buffer = buffer.slice(end + 2)
              const data = frame
                .split('\n')
                .filter((line) => line.startsWith('data:'))
                .map((line) => line.slice(5).trim())
                .join('\n')
              const { type } = JSON.parse(data) as { type?: string }
              if (type !== 'text' && type !== 'tool_call') continue
              const { seq } = sql
                .exec<{ seq: number }>('INSERT INTO events (data) VALUES (?) RETURNING seq', data)
                .one()
              controller.enqueue(encoder.encode(`id: ${seq}\ndata: ${data}\n\n`))
            }
          }
        })().catch((err: unknown) => controller.error(err))
      },
    })
  }
}

/** `POST /open/<name>` opens a session's object; `POST /turn/<name>` relays a turn through it. */
export default {
  async fetch(request: Request, env: BaselineEnv): Promise<Response> {
    const [, action, name] = new URL(request.url).pathname.split('/')
    if (!name || (action !== 'open' && action !== 'turn'))
      return new Response(null, { status: 404 })
    const stub = env.RELAY.get(env.RELAY.idFromName(name))
    if (action === 'open') {
      await stub.open()
      return new Response(null, { status: 204 })
    }
    const turn = {
      authorization: request.headers.get('authorization') ?? '',
      body: await request.text(),
    }
    return new Response(await stub.relay(turn), {
      headers: { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'identity' },
    })
  },
} satisfies ExportedHandler<BaselineEnv>
