import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { DownloadLink, paths } from '../../../shared/api/index.ts'
import { JOBS_ALARM } from '../../../extension/background/jobs-follower.ts'
import {
  installationItem,
  jobsItem,
  notificationsItem,
  settingsItem,
} from '../../../extension/utils/storage.ts'
import { JOB, JOB2, KEY_A, job, json, routeFetch } from '../utils/api/fixtures.ts'
import { fb, installBrowserExtras, restartBackground, settle, startFresh } from './harness.ts'

let spies: ReturnType<typeof installBrowserExtras>

beforeEach(async () => {
  fakeBrowser.reset()
  spies = installBrowserExtras()
  await installationItem.setValue({ installationId: 'inst_x', key: KEY_A })
})

/** The worker's answers for the jobs, switchable between ticks. */
function workerWith(jobs: Record<string, ReturnType<typeof job>>) {
  const state = { jobs }
  const link = DownloadLink.parse({
    url: 'https://worker.test/v1/exports/file?sig=abc',
    expiresAt: '2026-11-24T12:00:00.000Z',
  })
  const worker = routeFetch({
    [`GET ${paths.exportJob(JOB)}`]: () => json(state.jobs[JOB]),
    [`GET ${paths.exportJob(JOB2)}`]: () => json(state.jobs[JOB2]),
    [`POST ${paths.downloadLink(JOB)}`]: () => json(link),
  })
  vi.stubGlobal('fetch', worker.fetch)
  return { state, worker, link }
}

function followFromUi(jobs: unknown[]) {
  const replies: unknown[] = []
  fb.runtime.onMessage.trigger(
    { type: 'follow-jobs', jobs },
    { id: fb.runtime.id, url: fb.runtime.getURL('/sidepanel.html') },
    (r: unknown) => replies.push(r),
  )
  return replies
}

describe('jobs follower', () => {
  it('follows new jobs at once: badge with the number running, one 30 s alarm', async () => {
    workerWith({ [JOB]: job({ progress: 20 }), [JOB2]: job({ status: 'pending' }, JOB2) })
    startFresh()
    const replies = followFromUi([job({ status: 'pending' }), job({ status: 'pending' }, JOB2)])
    await settle()
    expect(replies).toEqual([{ ok: true }])
    expect(await fb.action.getBadgeText({})).toBe('2')
    expect(await fb.alarms.getAll()).toEqual([
      expect.objectContaining({ name: JOBS_ALARM, periodInMinutes: 0.5 }),
    ])
    // The first check ran right away, not 30 s later.
    expect((await jobsItem.getValue()).jobs.find((j) => j.job.jobId === JOB)?.job.progress).toBe(20)
  })

  it('on completion raises one notification with a Download button, then clears badge and alarm', async () => {
    const { state } = workerWith({ [JOB]: job() })
    startFresh()
    followFromUi([job()])
    await settle()
    state.jobs[JOB] = job({
      status: 'completed',
      progress: 100,
      fileName: 'Harbour 16x9.mp4',
      fileUrl: '/v1/exports/x/file',
    })
    await fb.alarms.onAlarm.trigger({ name: JOBS_ALARM, scheduledTime: Date.now() })
    await settle()
    await fb.alarms.onAlarm.trigger({ name: JOBS_ALARM, scheduledTime: Date.now() })
    await settle()

    const notes = fb.notifications.getAllCreateOptions()
    expect(Object.keys(notes)).toEqual([`job:${JOB}`])
    expect(notes[`job:${JOB}`]).toMatchObject({
      type: 'basic',
      title: 'Your video is ready',
      message: '16:9 · Harbour 16x9.mp4',
      buttons: [{ title: 'Download' }],
    })
    expect((await notificationsItem.getValue()).map).toEqual({ [`job:${JOB}`]: JOB })
    expect(await fb.action.getBadgeText({})).toBe('')
    expect(await fb.alarms.getAll()).toEqual([])
  })

  it('a job followed again after it finished is not notified twice', async () => {
    workerWith({ [JOB]: job({ status: 'completed', fileName: 'a.mp4' }) })
    startFresh()
    followFromUi([job()])
    await settle()
    await fb.notifications.clear(`job:${JOB}`)
    followFromUi([job()])
    await settle()
    expect(fb.notifications.getAllCreateOptions()).toEqual({})
    expect((await jobsItem.getValue()).jobs).toHaveLength(1)
  })

  it('speaks the language chosen in the options', async () => {
    await settingsItem.setValue({ uiLanguage: 'zh' })
    const { state } = workerWith({ [JOB]: job() })
    startFresh()
    followFromUi([job()])
    await settle()
    state.jobs[JOB] = job({ status: 'completed', fileName: 'a.mp4' })
    await fb.alarms.onAlarm.trigger({ name: JOBS_ALARM, scheduledTime: Date.now() })
    await settle()
    expect(fb.notifications.getAllCreateOptions()[`job:${JOB}`]).toMatchObject({
      title: '你的视频已完成',
      buttons: [{ title: '下载' }],
    })
  })

  it('on Firefox, where buttons throw, notifies without them', async () => {
    const { state } = workerWith({ [JOB]: job() })
    const create = fb.notifications.create.bind(fb.notifications)
    vi.spyOn(fb.notifications, 'create').mockImplementation((async (
      id: string,
      opts: { buttons?: unknown },
    ) => {
      if (opts.buttons) throw new Error('Property "buttons" is unsupported by Firefox')
      return create(id, opts)
    }) as never)
    startFresh()
    followFromUi([job()])
    await settle()
    state.jobs[JOB] = job({ status: 'completed', fileName: 'a.mp4' })
    await fb.alarms.onAlarm.trigger({ name: JOBS_ALARM, scheduledTime: Date.now() })
    await settle()
    const note = fb.notifications.getAllCreateOptions()[`job:${JOB}`]
    expect(note).toMatchObject({ title: 'Your video is ready' })
    expect(note).not.toHaveProperty('buttons')
    expect((await notificationsItem.getValue()).map[`job:${JOB}`]).toBe(JOB)
  })

  it('a failed job notifies with its reason', async () => {
    const { state } = workerWith({ [JOB]: job() })
    startFresh()
    followFromUi([job()])
    await settle()
    state.jobs[JOB] = job({
      status: 'failed',
      error: { code: 'render_failed', message: 'backend said no' },
    })
    await fb.alarms.onAlarm.trigger({ name: JOBS_ALARM, scheduledTime: Date.now() })
    await settle()
    expect(fb.notifications.getAllCreateOptions()[`job-failed:${JOB}`]).toMatchObject({
      title: 'Your video could not be made',
      message: '16:9: The video could not be rendered. Try exporting again.',
    })
    expect(await fb.action.getBadgeText({})).toBe('')
  })

  it('re-creates the alarm on every start while jobs are pending, and not otherwise', async () => {
    workerWith({ [JOB]: job() })
    await jobsItem.setValue({ jobs: [{ job: job(), notified: false }] })
    restartBackground()
    await settle()
    expect(await fb.alarms.get(JOBS_ALARM)).toMatchObject({ periodInMinutes: 0.5 })
    expect(await fb.action.getBadgeText({})).toBe('1')

    await jobsItem.setValue({ jobs: [{ job: job({ status: 'completed' }), notified: true }] })
    restartBackground()
    await settle()
    expect(await fb.alarms.get(JOBS_ALARM)).toBeUndefined()
  })
})

describe('notification click', () => {
  it('after a restart, downloads the job through a signed link with a safe name', async () => {
    const { link } = workerWith({ [JOB]: job() })
    await jobsItem.setValue({
      jobs: [
        {
          job: job({ status: 'completed', fileName: '../../etc/My "video": final?.mp4' }),
          notified: true,
        },
      ],
    })
    await notificationsItem.setValue({ map: { [`job:${JOB}`]: JOB } })
    restartBackground()
    fb.notifications.onClicked.trigger(`job:${JOB}`)
    await settle()
    expect(spies.download).toHaveBeenCalledWith({
      url: link.url,
      filename: 'etc My video final.mp4',
      saveAs: false,
    })
    expect((await notificationsItem.getValue()).map).toEqual({})
  })

  it('the Download button does the same', async () => {
    const { link } = workerWith({ [JOB]: job() })
    await notificationsItem.setValue({ map: { [`job:${JOB}`]: JOB } })
    restartBackground()
    fb.notifications.onButtonClicked.trigger(`job:${JOB}`, 0)
    await settle()
    expect(spies.download).toHaveBeenCalledWith({
      url: link.url,
      filename: 'pagereel-video.mp4',
      saveAs: false,
    })
  })

  it('ignores notifications it does not know', async () => {
    workerWith({})
    restartBackground()
    fb.notifications.onClicked.trigger('something-else')
    await settle()
    expect(spies.download).not.toHaveBeenCalled()
  })
})
