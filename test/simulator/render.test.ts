import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anonymousToken, call, chat, newSession, readSse, testSimulator } from './test-helpers.ts'
import type { Simulator } from './index.ts'

async function withDraft(sim: Simulator, prompt = 'make a video') {
  const { token } = sim.control.createUserToken()
  const sid = await newSession(sim, token)
  await readSse(await chat(sim, token, sid, prompt))
  return {
    token,
    sid,
    draft: sim.control.draft(sid) as NonNullable<ReturnType<Simulator['control']['draft']>>,
  }
}

function submit(sim: Simulator, token: string, body: Record<string, unknown>, skill = true) {
  return call(sim, '/api/render/proxy/lambda', {
    token,
    skill,
    json: { output: { format: 'mp4', quality: 'high' }, ...body },
  })
}

/** The status in whichever documented shape the answer used. */
function normalise(body: any): { status: string; progress?: number; url?: string; error?: string } {
  const d = body.data ?? body
  return {
    status: d.status,
    progress: d.progress,
    url: d.outputUrl ?? d.output?.url,
    error: d.error,
  }
}

function probe(bytes: Uint8Array): {
  codec_name: string
  width: number
  height: number
  pix_fmt: string
} {
  const dir = mkdtempSync(join(tmpdir(), 'sim-mp4-'))
  try {
    const file = join(dir, 'out.mp4')
    writeFileSync(file, bytes)
    const out = execFileSync('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,pix_fmt',
      '-of',
      'json',
      file,
    ])
    return JSON.parse(out.toString()).streams[0]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('render', () => {
  it('runs pending -> processing -> completed by polls, in both status shapes, and serves an H.264 MP4 of the draft size', async () => {
    const sim = testSimulator({
      render: { mode: 'polls', pollsToComplete: 4 },
      statusShape: 'rotate',
    })
    const { token, sid } = await withDraft(sim)
    const draft = sim.control.draft(sid)
    expect(draft?.m).toMatchObject({ width: 1920, height: 1080 })
    const vertical = { ...draft, m: { ...draft?.m, width: 1080, height: 1920 } }
    const res = await submit(sim, token, { id: 'render_a1', sessionId: sid, draft: vertical })
    expect(await res.json()).toEqual({
      success: true,
      data: { id: 'render_a1', status: 'pending', progress: 0 },
    })

    const polls = []
    for (let i = 0; i < 4; i++)
      polls.push(await (await call(sim, '/api/render/proxy/lambda/render_a1', { token })).json())
    expect(polls.map((p) => 'data' in p)).toEqual([true, false, true, false])
    const states = polls.map(normalise)
    expect(states.map((s) => s.status)).toEqual([
      'pending',
      'processing',
      'processing',
      'completed',
    ])
    expect(states[1]!.progress!).toBeLessThan(states[2]!.progress!)
    expect(states[3]!.url).toBe('https://mega-api-prod.nemovideo.ai/files/render_a1.mp4')

    const file = await sim.fetch(new Request(states[3]!.url!))
    expect(file.headers.get('content-type')).toBe('video/mp4')
    const bytes = new Uint8Array(await file.arrayBuffer())
    expect(Number(file.headers.get('content-length'))).toBe(bytes.length)
    expect(probe(bytes)).toEqual({
      codec_name: 'h264',
      width: 1080,
      height: 1920,
      pix_fmt: 'yuv420p',
    })
  })

  it.each([
    [1920, 1080, 1920, 1080],
    [1080, 1080, 1080, 1080],
    [720, 1280, 1080, 1920],
  ])('serves the preset nearest %ix%i', async (w, h, pw, ph) => {
    const sim = testSimulator({ render: { mode: 'polls', pollsToComplete: 1 } })
    const { token, sid, draft } = await withDraft(sim)
    await submit(sim, token, {
      id: `render_${w}x${h}`,
      sessionId: sid,
      draft: { ...draft, m: { ...draft.m, width: w, height: h } },
    })
    await call(sim, `/api/render/proxy/lambda/render_${w}x${h}`, { token })
    const dl = await call(sim, `/api/render/proxy/render_${w}x${h}/download`, { token })
    const info = probe(new Uint8Array(await dl.arrayBuffer()))
    expect([info.width, info.height]).toEqual([pw, ph])
  })

  it('progresses with the simulated clock in time mode', async () => {
    const sim = testSimulator({
      render: { mode: 'time', durationMs: 20_000 },
      timeScale: 1,
      statusShape: 'top',
    })
    const { token, sid, draft } = await withDraftFast(sim)
    await submit(sim, token, { id: 'render_t', sessionId: sid, draft })
    const status = async () =>
      normalise(await (await call(sim, '/api/render/proxy/lambda/render_t', { token })).json())
    expect((await status()).status).toBe('pending')
    sim.control.advanceClock(10_000)
    expect(await status()).toMatchObject({ status: 'processing', progress: 50 })
    sim.control.advanceClock(10_000)
    expect((await status()).status).toBe('completed')
  })

  it('fails a render on a render-fail fault with the error message', async () => {
    const sim = testSimulator({
      render: { mode: 'polls', pollsToComplete: 3 },
      statusShape: 'data',
    })
    const { token, sid, draft } = await withDraft(sim)
    sim.control.fault({ kind: 'render-fail', error: 'GPU node lost' })
    await submit(sim, token, { id: 'render_f', sessionId: sid, draft })
    const seen = []
    for (let i = 0; i < 3; i++)
      seen.push(
        normalise(await (await call(sim, '/api/render/proxy/lambda/render_f', { token })).json()),
      )
    expect(seen.map((s) => s.status)).toEqual(['pending', 'failed', 'failed'])
    expect(seen[1]?.error).toBe('GPU node lost')
    expect((await sim.fetch(new Request('https://x/files/render_f.mp4'))).status).toBe(404)
  })

  it('cancels a running render', async () => {
    const sim = testSimulator()
    const { token, sid, draft } = await withDraft(sim)
    await submit(sim, token, { id: 'render_c', sessionId: sid, draft })
    const res = await call(sim, '/api/render/proxy/lambda/render_c/cancel', {
      token,
      method: 'POST',
    })
    expect((await res.json()).data.status).toBe('cancelled')
    const after = normalise(
      await (await call(sim, '/api/render/proxy/lambda/render_c', { token })).json(),
    )
    expect(after.status).toBe('cancelled')
  })

  it('refuses a duplicate id, a draft without segments and a bad body', async () => {
    const sim = testSimulator()
    const { token, sid, draft } = await withDraft(sim)
    expect((await submit(sim, token, { id: 'render_d', sessionId: sid, draft })).status).toBe(200)
    const dup = await submit(sim, token, { id: 'render_d', sessionId: sid, draft })
    expect(dup.status).toBe(409)
    expect((await dup.json()).success).toBe(false)
    const empty = await submit(sim, token, {
      id: 'render_e',
      sessionId: sid,
      draft: { t: [{ tt: 0, sg: [] }] },
    })
    expect(empty.status).toBe(400)
    expect((await submit(sim, token, { id: 'no-prefix', sessionId: sid, draft })).status).toBe(400)
  })

  it('answers 402 without the attribution headers, and to anonymous tokens when render is blocked', async () => {
    const sim = testSimulator({ anonymousRenderBlocked: true })
    const { token, sid, draft } = await withDraft(sim)
    const unattributed = await submit(sim, token, { id: 'render_n', sessionId: sid, draft }, false)
    expect([unattributed.status, (await unattributed.json()).code]).toEqual([402, 402])
    const anon = await anonymousToken(sim)
    const anonSid = await newSession(sim, anon.token)
    const blocked = await submit(sim, anon.token, { id: 'render_anon', sessionId: anonSid, draft })
    expect([blocked.status, (await blocked.json()).code]).toEqual([402, 402])

    const open = testSimulator({ anonymousRenderBlocked: false })
    const a = await anonymousToken(open)
    const s = await newSession(open, a.token)
    await readSse(await chat(open, a.token, s, 'make a video'))
    expect(
      (await submit(open, a.token, { id: 'render_ok', sessionId: s, draft: open.control.draft(s) }))
        .status,
    ).toBe(200)
  })

  it('needs the owner token for status and download', async () => {
    const sim = testSimulator({ render: { mode: 'polls', pollsToComplete: 1 } })
    const { token, sid, draft } = await withDraft(sim)
    await submit(sim, token, { id: 'render_o', sessionId: sid, draft })
    const early = await call(sim, '/api/render/proxy/render_o/download', { token })
    expect(early.status).toBe(409)
    await call(sim, '/api/render/proxy/lambda/render_o', { token })
    expect((await call(sim, '/api/render/proxy/render_o/download', {})).status).toBe(401)
    const other = sim.control.createUserToken()
    expect(
      (await call(sim, '/api/render/proxy/render_o/download', { token: other.token })).status,
    ).toBe(404)
    expect(
      (await call(sim, '/api/render/proxy/lambda/render_o', { token: other.token })).status,
    ).toBe(404)
    const ok = await call(sim, '/api/render/proxy/render_o/download', { token })
    expect(ok.status).toBe(200)
  })
})

/** A draft without running a chat turn at timeScale 1. */
async function withDraftFast(sim: Simulator) {
  sim.control.configure({ timeScale: 0 })
  const out = await withDraft(sim)
  sim.control.configure({ timeScale: 1 })
  return out
}
