import { runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, beforeAll, describe, it } from 'vitest'
import { InstallationInfo } from '../../shared/api/installations.ts'
import { paths } from '../../shared/api/routes.ts'
import { ProjectState } from '../../shared/api/state.ts'
import { UploadResult } from '../../shared/api/uploads.ts'
import { PROFILE_TRAITS, type ShapeProfile } from '../simulator/profiles.ts'
import { chatSession, replyText, runTurn } from './chat-helpers.ts'
import {
  disarmJobs,
  exportableSession,
  getJob,
  nextWakeInPolls,
  startExport,
  stubOf,
} from './exports-fixtures.ts'
import { api, bytes, json, logOf, multipart, openSession, register, sim } from './helpers.ts'

/**
 * The worker's contract with the backend, the same for every shape profile of the simulator
 * (test/simulator/profiles.ts): registration, chat, uploads, state and an export through to the
 * downloaded file. Each `contract-<profile>.test.ts` runs it against one profile; a shape met
 * later becomes a profile and one more such file.
 */
export function contractSuite(profile: ShapeProfile): void {
  const traits = PROFILE_TRAITS[profile]

  describe(`the worker against the "${profile}" backend shapes`, () => {
    beforeAll(() => {
      sim.control.configure({
        profile,
        anonymousRenderBlocked: false,
        render: { mode: 'polls', pollsToComplete: 3 },
      })
    })
    afterEach(disarmJobs)

    it('registration: a working installation, and a register link that binds the anonymous user', async ({
      expect,
    }) => {
      const created = await register()
      expect(created.tokenKind).toBe('anonymous')
      const me = InstallationInfo.parse(await (await api(paths.me, {}, created.key)).json())
      const anon = sim.log.filter((e) => e.endpoint === 'anonymous-token').at(-1)
      expect(anon?.status).toBe(200)
      if (traits.namesBindId) expect(me.registerUrl).toMatch(/\/register\?bind=anon_[0-9a-f]+$/)
      else expect(me.registerUrl).toBeUndefined()
      expect((await api(paths.credits, {}, created.key)).status).toBe(200)
    })

    it('chat: the reply text arrives, tools stay inside, a silent edit is summarised with names and volume', async ({
      expect,
    }) => {
      const { key, sessionId } = await chatSession()
      sim.control.nextTurn({ noText: false, trailingIssue: false })
      const made = await runTurn(key, sessionId, 'make a video about the city')
      expect(made.events.at(-1)?.type).toBe('done')
      expect(replyText(made.events)).toMatch(/\w{3,}/)
      expect(JSON.stringify(made.events)).not.toMatch(
        /generate_video|functionCall|tool_call|function_call/,
      )

      sim.control.nextTurn({ noText: true, trailingIssue: false })
      const edited = await runTurn(key, sessionId, 'add some music')
      const summary = edited.events.find((e) => e.type === 'summary')
      expect(summary?.type).toBe('summary')
      if (summary?.type !== 'summary') return
      const music = summary.timeline.tracks.find((t) => t.kind === 'audio')?.segments[0]
      expect(music).toMatchObject({ volumePercent: 35, mediaKind: 'audio' })
      expect(music?.label).toMatch(/\w/)
      expect(summary.summary).not.toMatch(/untitled/)
      expect(summary.summary).toMatch(/BGM: .+ \(0-\d+(\.\d)?s, 35%\)/)
      expect(edited.events.at(-1)?.type).toBe('done')
    })

    it('uploads: what the backend added is reported, whatever the answer looks like', async ({
      expect,
    }) => {
      const key = (await register()).key
      const sessionId = await openSession(key)
      const byUrl = UploadResult.parse(
        await (
          await api(
            paths.uploadUrls(sessionId),
            json('POST', { urls: ['https://cdn.example.com/clips/city.mp4'] }),
            key,
          )
        ).json(),
      )
      expect(byUrl.applied).toBe(true)
      expect(byUrl.files[0]).toMatchObject({
        filename: 'city.mp4',
        kind: 'video',
        url: expect.stringMatching(/^https?:\/\//),
      })

      const body = multipart([{ name: 'beach.jpg', type: 'image/jpeg', bytes: bytes(2048) }])
      const res = await api(
        paths.uploads(sessionId),
        { method: 'POST', body: body.body, headers: { 'Content-Type': body.contentType } },
        key,
      )
      expect(res.status).toBe(200)
      const byFile = UploadResult.parse(await res.json())
      expect(byFile.applied).toBe(true)
      expect(byFile.files.some((f) => f.kind === 'image' && f.filename.includes('beach'))).toBe(
        true,
      )
    })

    it('state: a timeline with labels, kinds and sources, summarised in the UI language', async ({
      expect,
    }) => {
      const key = (await register()).key
      const sessionId = await exportableSession(key)
      const en = ProjectState.parse(await (await api(paths.state(sessionId), {}, key)).json())
      expect(en.exportable).toBe(true)
      expect(en.timeline.tracks[0]?.segments[0]).toMatchObject({
        label: expect.stringMatching(/city/),
        mediaKind: 'video',
        sourceUrl: expect.stringMatching(/^https?:/),
      })
      expect(en.summary).toMatch(/^Timeline \(1 track\): 1\. Video: city/)
      const zh = ProjectState.parse(
        await (await api(`${paths.state(sessionId)}?lang=zh`, {}, key)).json(),
      )
      expect(zh.summary).toMatch(/^时间线（1 条轨道）：1\. 视频：city/)
    })

    it('exports: polled to completion without error backoff, and the file downloads', async ({
      expect,
    }) => {
      const key = (await register()).key
      const sessionId = await exportableSession(key)
      const before = sim.log.length
      const job = await startExport(key, sessionId, '1:1')
      const stub = stubOf(job.jobId)
      for (let poll = 1; poll < 3; poll += 1) {
        expect(await runDurableObjectAlarm(stub)).toBe(true)
        // Every status word of the profile reads as progress: the next poll is one interval away.
        expect(await nextWakeInPolls(job.jobId)).toBe(1)
        expect((await getJob(key, job.jobId)).status).toMatch(/^(pending|processing)$/)
      }
      expect(await runDurableObjectAlarm(stub)).toBe(true)
      const done = await getJob(key, job.jobId)
      expect(done).toMatchObject({
        status: 'completed',
        progress: 100,
        fileUrl: paths.exportFile(job.jobId),
      })
      // Without a URL in the status the worker made sure the token-only download answers.
      if (!traits.namesFileUrl) expect(logOf('render-download', before).length).toBeGreaterThan(0)

      const file = await api(paths.exportFile(job.jobId), {}, key)
      expect(file.status).toBe(200)
      expect(file.headers.get('Content-Type')).toMatch(/video\/mp4/)
      const mp4 = new Uint8Array(await file.arrayBuffer())
      expect(new TextDecoder().decode(mp4.subarray(4, 8))).toBe('ftyp')
    })

    it.runIf(!traits.namesFileUrl)(
      'exports: a finished render whose file cannot be fetched fails honestly, never "completed"',
      async ({ expect }) => {
        const key = (await register()).key
        const job = await startExport(key, await exportableSession(key), '16:9')
        const stub = stubOf(job.jobId)
        await runDurableObjectAlarm(stub)
        await runDurableObjectAlarm(stub)
        sim.control.fault({ kind: 'http', endpoint: 'render-download', status: 404, times: 10 })
        // Completed upstream, but the download answers 404: the job waits, then says why it failed.
        await runDurableObjectAlarm(stub)
        expect((await getJob(key, job.jobId)).status).toBe('processing')
        await runDurableObjectAlarm(stub)
        await runDurableObjectAlarm(stub)
        const failed = await getJob(key, job.jobId)
        expect(failed.status).toBe('failed')
        expect(failed.error?.code).toBe('export_file_missing')
        expect(failed.error?.message).toMatch(/could not be fetched/)
      },
    )
  })
}
