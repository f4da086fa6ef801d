import { env } from 'cloudflare:workers'
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, it } from 'vitest'
import { ErrorEnvelope, MessageAccepted, SessionInfo } from '../../shared/api/index.ts'
import { paths } from '../../shared/api/routes.ts'
import { createUpstream } from '../../worker/installations/upstream-for.ts'
import { resolveSession, withUpstreamSession } from '../../worker/sessions/access.ts'
import { EVENT_RETENTION_MS, SESSION_IDLE_MS } from '../../worker/sessions/sweep.ts'
import { chatSession, openEvents, postMessage, readFrames, runTurn, send } from './chat-helpers.ts'
import { api, json, logOf, register, sim } from './helpers.ts'

const stubOf = (sessionId: string) =>
  env.PROJECT_SESSION.get(env.PROJECT_SESSION.idFromName(sessionId))

describe('sessions', () => {
  it('creates a session with a backend session behind it, and reads it back', async ({
    expect,
  }) => {
    const { key } = await register('zh-CN')
    const before = sim.log.length
    const res = await api(paths.sessions, json('POST', { language: 'zh-CN' }), key)
    expect(res.status).toBe(201)
    const created = SessionInfo.parse(await res.json())
    expect(created.language).toBe('zh-CN')
    expect(created.latestRun).toBeUndefined()
    const calls = logOf('session', before)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.body).toMatchObject({ task_name: 'project', language: 'zh-CN' })

    const got = await api(paths.session(created.sessionId), {}, key)
    expect(got.status).toBe(200)
    expect(SessionInfo.parse(await got.json())).toEqual(created)
  })

  it('answers 404 the same way for another installation’s session and a made-up one', async ({
    expect,
  }) => {
    const { sessionId } = await chatSession()
    const stranger = await register()
    const made = 'ses_AAAAAAAAAAAAAAAAAAAAAAAA'
    for (const id of [sessionId, made]) {
      const get = await api(paths.session(id), {}, stranger.key)
      expect(get.status).toBe(404)
      expect(ErrorEnvelope.parse(await get.json()).error.code).toBe('not_found')
      const post = await postMessage(stranger.key, id, 'hello')
      expect(post.status).toBe(404)
      const events = await openEvents(stranger.key, id, 'run_AAAAAAAAAAAAAAAAAAAAAAAA')
      expect(events.status).toBe(404)
    }
    expect(logOf('run_sse').filter((e) => JSON.stringify(e.body).includes('hello'))).toHaveLength(0)
  })

  it('sends a message once per clientMessageId: same run back, one /run_sse', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    const before = sim.log.length
    const first = await postMessage(key, sessionId, 'hello there', 'client-msg-0001')
    const again = await postMessage(key, sessionId, 'hello there', 'client-msg-0001')
    expect(first.status).toBe(202)
    expect(again.status).toBe(202)
    const a = MessageAccepted.parse(await first.json())
    const b = MessageAccepted.parse(await again.json())
    expect(b).toEqual(a)
    const { frames } = await readFrames(await openEvents(key, sessionId, a.runId))
    expect(frames.at(-1)?.data.type).toBe('done')
    // After the run ended, the same id still names the same run and sends nothing.
    const late = await postMessage(key, sessionId, 'hello there', 'client-msg-0001')
    expect(MessageAccepted.parse(await late.json())).toEqual(a)
    expect(logOf('run_sse', before)).toHaveLength(1)
  })

  it('refuses a second message while a turn runs (409), and takes one after it ended', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    sim.control.fault({ kind: 'slow-first-byte', delayMs: 3000 })
    const before = sim.log.length
    const runId = await send(key, sessionId, 'hello')
    const busy = await postMessage(key, sessionId, 'and another thing')
    expect(busy.status).toBe(409)
    expect(ErrorEnvelope.parse(await busy.json()).error.code).toBe('run_in_progress')
    await readFrames(await openEvents(key, sessionId, runId))
    const next = await postMessage(key, sessionId, 'and another thing')
    expect(next.status).toBe(202)
    await readFrames(
      await openEvents(key, sessionId, MessageAccepted.parse(await next.json()).runId),
    )
    const calls = logOf('run_sse', before)
    expect(calls).toHaveLength(2)
    expect(calls.some((c) => c.reentrant)).toBe(false)
  })

  it('shows the newest run with its status and last event id', async ({ expect }) => {
    const { key, sessionId } = await chatSession()
    const { runId, frames } = await runTurn(key, sessionId, 'hello')
    const info = SessionInfo.parse(await (await api(paths.session(sessionId), {}, key)).json())
    expect(info.latestRun).toMatchObject({ runId, status: 'done', lastEventId: frames.at(-1)?.id })
  })
})

describe('a reset of the session object', () => {
  it('ends runs the old instance left running as stream_dropped, and takes new messages', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    const stub = stubOf(sessionId)
    const orphan = 'run_OrphanedOrphanedOrphaned'
    // A run whose turn lived in an instance that is gone (a deploy or an eviction reset it).
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        `INSERT INTO runs (run_id, client_message_id, status, started_at) VALUES (?, 'orphan-msg-1', 'running', ?)`,
        orphan,
        Date.now(),
      )
    })
    await evictDurableObject(stub)
    const { frames } = await readFrames(await openEvents(key, sessionId, orphan))
    expect(frames.map((f) => f.data)).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'stream_dropped' }) },
    ])
    expect((await runTurn(key, sessionId, 'hello')).events.at(-1)?.type).toBe('done')
  })
})

describe('backend session renewal (1002)', () => {
  it('renews a lost backend session once for concurrent callers', async ({ expect }) => {
    const { installationId, sessionId } = await chatSession()
    const { upstreamSessionId: stale } = await resolveSession(env, installationId, sessionId)
    expect(sim.control.dropSession(stale)).toBe(true)
    const before = sim.log.length
    const upstream = createUpstream(env, installationId)
    const seen = await Promise.all(
      [1, 2, 3].map(() =>
        withUpstreamSession(env, installationId, sessionId, async (sid) => {
          await upstream.state(sid)
          return sid
        }),
      ),
    )
    expect(logOf('session', before)).toHaveLength(1)
    expect(new Set(seen).size).toBe(1)
    expect(seen[0]).not.toBe(stale)
    expect((await resolveSession(env, installationId, sessionId)).upstreamSessionId).toBe(seen[0])
  })

  it('tells the user in the next turn, which runs on the new session', async ({ expect }) => {
    const { key, installationId, sessionId } = await chatSession()
    const { upstreamSessionId: stale } = await resolveSession(env, installationId, sessionId)
    sim.control.dropSession(stale)
    const before = sim.log.length
    const { events } = await runTurn(key, sessionId, 'hello')
    expect(events[0]).toEqual({ type: 'notice', code: 'session_renewed' })
    expect(events.at(-1)?.type).toBe('done')
    // The prompt runs once, on the new session. The draft is read beside the prompt without
    // renewing, so the prompt itself meets the lost session first: refused (1002), nothing ran.
    const renewed = (await resolveSession(env, installationId, sessionId)).upstreamSessionId
    const calls = logOf('run_sse', before).map((r) => (r.body as { session_id: string }).session_id)
    expect(calls.filter((id) => id === renewed)).toHaveLength(1)
    expect(calls.filter((id) => id !== renewed)).toEqual(calls.length > 1 ? [stale] : [])
    expect(logOf('session', before)).toHaveLength(1)
  })
})

describe('sweep alarm', () => {
  it('deletes old runs and their events, then the whole session after 30 idle days', async ({
    expect,
  }) => {
    const { key, sessionId } = await chatSession()
    await runTurn(key, sessionId, 'hello')
    const stub = stubOf(sessionId)
    const old = Date.now() - EVENT_RETENTION_MS - 60_000
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('UPDATE runs SET started_at = ?, finished_at = ?', old, old)
      state.storage.sql.exec('UPDATE events SET created_at = ?', old)
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const counts = await runInDurableObject(stub, (_instance, state) => ({
      runs: state.storage.sql.exec('SELECT COUNT(*) AS n FROM runs').one().n,
      events: state.storage.sql.exec('SELECT COUNT(*) AS n FROM events').one().n,
    }))
    expect(counts).toEqual({ runs: 0, events: 0 })
    const info = SessionInfo.parse(await (await api(paths.session(sessionId), {}, key)).json())
    expect(info.latestRun).toBeUndefined()

    // The sweep re-armed itself; the next one finds the session idle for 30 days and deletes it.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE session SET last_active_at = ?',
        Date.now() - SESSION_IDLE_MS - 60_000,
      )
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await api(paths.session(sessionId), {}, key)).status).toBe(404)
    expect(await runDurableObjectAlarm(stub)).toBe(false)
  })

  it('keeps recent runs, and never touches a running turn', async ({ expect }) => {
    const { key, sessionId } = await chatSession()
    const { runId: recent } = await runTurn(key, sessionId, 'hello')
    sim.control.fault({ kind: 'slow-first-byte', delayMs: 3000 })
    const running = await send(key, sessionId, 'hello again')
    const stub = stubOf(sessionId)
    // Even a running turn that looks old stays.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('UPDATE runs SET started_at = ? WHERE run_id = ?', 0, running)
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const live = await readFrames(await openEvents(key, sessionId, running))
    expect(live.frames.at(-1)?.data.type).toBe('done')
    const kept = await readFrames(await openEvents(key, sessionId, recent))
    expect(kept.frames.at(-1)?.data.type).toBe('done')
  })
})
