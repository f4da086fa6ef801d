import { runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, it } from 'vitest'
import { ExportJobList } from '../../shared/api/exports.ts'
import { paths } from '../../shared/api/routes.ts'
import { SessionInfo } from '../../shared/api/sessions.ts'
import { ProjectState } from '../../shared/api/state.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { chatSession, messageId, openEvents, readFrames, send } from './chat-helpers.ts'
import {
  disarmJobs,
  exportableSession,
  getJob,
  renderingInstallation,
  startExport,
  stubOf,
  clickKey,
} from './exports-fixtures.ts'
import { api, bytes, json, multipart, register, sim } from './helpers.ts'

afterEach(disarmJobs)

/**
 * One installation never reaches another's session, run or job. The routes come from the OpenAPI
 * document, so a new session or job route is checked here too (it needs a sample request below,
 * or this test says so). Each request is valid in every other way: only ownership refuses it.
 */

/** A request's init, and its query when the route needs one. */
type Sample = (ids: {
  sessionId: string
  runId: string
  jobId: string
  mediaUrl: string
}) => RequestInit & { query?: Record<string, string> }

const MiB = 1024 * 1024
const upload = multipart([{ name: 'clip.mp4', type: 'video/mp4', bytes: bytes(2048) }])

const SAMPLES: Record<string, Sample> = {
  [`GET ${paths.session('{sessionId}')}`]: () => ({}),
  [`POST ${paths.messages('{sessionId}')}`]: () =>
    json('POST', { text: 'change the title to "Mine"', clientMessageId: messageId() }),
  [`GET ${paths.runEvents('{sessionId}', '{runId}')}`]: () => ({}),
  [`POST ${paths.uploads('{sessionId}')}`]: () => ({
    method: 'POST',
    body: upload.body,
    headers: {
      'Content-Type': upload.contentType,
      'Content-Length': String(upload.body.byteLength),
    },
  }),
  [`POST ${paths.uploadUrls('{sessionId}')}`]: () =>
    json('POST', { urls: ['https://cdn.example.com/clips/stolen.mp4'] }),
  [`GET ${paths.state('{sessionId}')}`]: () => ({}),
  [`POST ${paths.claim('{sessionId}')}`]: () => ({ method: 'POST' }),
  [`POST ${paths.createExport('{sessionId}')}`]: () =>
    json('POST', { preset: '9:16', idempotencyKey: clickKey() }),
  [`GET ${paths.exportJob('{jobId}')}`]: () => ({}),
  [`POST ${paths.cancelExport('{jobId}')}`]: () => ({ method: 'POST' }),
  [`POST ${paths.downloadLink('{jobId}')}`]: () => ({ method: 'POST' }),
  [`GET ${paths.exportFile('{jobId}')}`]: () => ({}),
  [`POST ${paths.largeUploads('{sessionId}')}`]: () =>
    json('POST', { filename: 'big.mp4', size: 6 * MiB, contentType: 'video/mp4' }),
  [`GET ${paths.largeUpload('{sessionId}', '{uploadId}')}`]: () => ({}),
  [`DELETE ${paths.largeUpload('{sessionId}', '{uploadId}')}`]: () => ({}),
  [`PUT ${paths.largeUploadPart('{sessionId}', '{uploadId}', '{n}')}`]: () => ({
    body: new Uint8Array(5 * MiB),
    headers: { 'Content-Length': String(5 * MiB) },
  }),
  [`POST ${paths.completeLargeUpload('{sessionId}', '{uploadId}')}`]: () => ({}),
  // A URL the owner's draft does name: only who asks decides the answer.
  [`GET ${paths.media('{sessionId}')}`]: ({ mediaUrl }) => ({ query: { url: mediaUrl } }),
}

async function scopedOperations(): Promise<string[]> {
  const doc = (await (await api(paths.openapi)).json()) as {
    paths: Record<string, Record<string, unknown>>
  }
  return Object.entries(doc.paths)
    .filter(([template]) => template.includes('{sessionId}') || template.includes('{jobId}'))
    .flatMap(([template, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${template}`),
    )
}

describe('another installation’s session, run and job', () => {
  it('are not_found on every route that names them; nothing reaches the backend, nothing changes', async ({
    expect,
  }) => {
    // The owner: a session with a finished run and an exportable draft, and a completed export.
    const owner = await renderingInstallation()
    sim.control.setCredits('all', 100_000)
    const sessionId = await exportableSession(owner.key)
    const runId = await send(owner.key, sessionId, 'hello')
    await readFrames(await openEvents(owner.key, sessionId, runId))
    const job = await startExport(owner.key, sessionId, '16:9')
    for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stubOf(job.jobId))
    expect((await getJob(owner.key, job.jobId)).status).toBe('completed')
    const largeUpload = await api(
      paths.largeUploads(sessionId),
      json('POST', { filename: 'big.mp4', size: 6 * MiB, partSize: 5 * MiB }),
      owner.key,
    )
    const { uploadId } = (await largeUpload.json()) as { uploadId: string }
    const ownerState = ProjectState.parse(
      await (await api(paths.state(sessionId), {}, owner.key)).json(),
    )
    const mediaUrl = ownerState.timeline.tracks
      .flatMap((t) => t.segments.map((s) => s.sourceUrl))
      .find((u) => u !== undefined)
    expect(mediaUrl, 'the owner’s draft names a media URL').toBeDefined()
    const infoBefore = SessionInfo.parse(
      await (await api(paths.session(sessionId), {}, owner.key)).json(),
    )

    const stranger = await register()
    const operations = await scopedOperations()
    expect(operations.length).toBeGreaterThanOrEqual(12)
    const before = sim.log.length
    for (const operation of operations) {
      const sample = SAMPLES[operation]
      expect(
        sample,
        `${operation} needs a sample request in security-isolation.test.ts`,
      ).toBeDefined()
      const [method, template] = operation.split(' ') as [string, string]
      const path = template
        .replace('{sessionId}', sessionId)
        .replace('{runId}', runId)
        .replace('{jobId}', job.jobId)
        .replace('{uploadId}', uploadId)
        .replace('{n}', '1')
      const { query, ...init } = sample!({
        sessionId,
        runId,
        jobId: job.jobId,
        mediaUrl: mediaUrl!,
      })
      const url = query ? `${path}?${new URLSearchParams(query)}` : path
      const res = await api(url, { ...init, method }, stranger.key)
      expect(res.status, operation).toBe(404)
      expect(ErrorEnvelope.parse(await res.json()).error.code, operation).toBe('not_found')
    }
    // Only the stranger's own registration-time calls may show up; none of the owner's ids.
    const reached = sim.log.slice(before).filter((e) => e.endpoint !== 'anonymous-token')
    expect(reached.map((e) => `${e.method} ${e.path}`)).toEqual([])

    // The owner's things are as they were: same newest run, job still completed and listed only for them.
    const infoAfter = SessionInfo.parse(
      await (await api(paths.session(sessionId), {}, owner.key)).json(),
    )
    expect(infoAfter.latestRun).toEqual(infoBefore.latestRun)
    expect((await getJob(owner.key, job.jobId)).status).toBe('completed')
    const strangerList = ExportJobList.parse(
      await (await api(paths.exports, {}, stranger.key)).json(),
    )
    expect(strangerList.jobs).toEqual([])
    const ownerList = ExportJobList.parse(await (await api(paths.exports, {}, owner.key)).json())
    expect(ownerList.jobs.map((j) => j.jobId)).toEqual([job.jobId])
  })

  it('cannot follow the owner’s live run, nor resume it with a Last-Event-ID', async ({
    expect,
  }) => {
    const owner = await chatSession()
    sim.control.configure({ timeScale: 0.01 })
    try {
      const runId = await send(owner.key, owner.sessionId, 'make a video')
      const stranger = await register()
      for (const lastEventId of [undefined, 0, 1]) {
        const res = await openEvents(stranger.key, owner.sessionId, runId, lastEventId)
        expect(res.status).toBe(404)
        expect(ErrorEnvelope.parse(await res.json()).error.code).toBe('not_found')
      }
      // A session of the stranger's own does not open the owner's run either.
      const own = await chatSession()
      const crossed = await api(paths.runEvents(own.sessionId, runId), {}, own.key)
      expect(crossed.status).toBe(404)
      // The owner still gets the whole reply.
      const { frames } = await readFrames(await openEvents(owner.key, owner.sessionId, runId))
      expect(frames.at(-1)?.data.type).toBe('done')
    } finally {
      sim.control.configure({ timeScale: 0.001 })
    }
  })

  it('cannot use a download link minted for the owner’s job under its own name', async ({
    expect,
  }) => {
    const owner = await renderingInstallation()
    const job = await startExport(owner.key, await exportableSession(owner.key), '1:1')
    for (let i = 0; i < 3; i += 1) await runDurableObjectAlarm(stubOf(job.jobId))
    const link = new URL(
      (
        (await (
          await api(paths.downloadLink(job.jobId), { method: 'POST' }, owner.key)
        ).json()) as {
          url: string
        }
      ).url,
    )
    const stranger = await register()
    const strangerId = stranger.installationId
    // Its own key with the owner's link, or the owner's signature re-labelled with its own id.
    const withKey = await api(`${link.pathname}${link.search}`, {}, stranger.key)
    expect(withKey.status).toBe(404)
    const relabelled = new URL(link)
    relabelled.searchParams.set('inst', strangerId)
    expect((await api(`${relabelled.pathname}${relabelled.search}`)).status).toBe(404)
    // The owner's link itself still works.
    expect((await api(`${link.pathname}${link.search}`)).status).toBe(200)
  })
})
