import { cleanup, screen, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { ExportJob } from '../../../shared/api/index.ts'
import { jobProgress, renderHistory } from '../../../extension/models/job-progress.ts'
import { jobsItem, projectsItem } from '../../../extension/utils/storage.ts'
import { createFakeWorker, renderApp, SESSION } from './harness.tsx'

const OTHER = 'ses_OTHEROTHEROTHER1'
const NOW = Date.parse('2026-12-06T12:00:00Z')
const at = (s: number, now = NOW) => new Date(now - s * 1000).toISOString()

function job(over: Partial<ExportJob> & Pick<ExportJob, 'jobId' | 'status'>): ExportJob {
  return ExportJob.parse({
    sessionId: SESSION,
    preset: '16:9',
    width: 1920,
    height: 1080,
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  })
}
const done = (id: string, tookS: number, now = NOW) =>
  job({
    jobId: id,
    status: 'completed',
    createdAt: at(1000 + tookS, now),
    completedAt: at(1000, now),
  })

describe('progress from facts', () => {
  it("the typical render time is the median of this installation's finished exports", () => {
    expect(renderHistory([done('job_AAAAAAAAAAAAAAAA', 60)])).toBeUndefined()
    expect(
      renderHistory([
        done('job_AAAAAAAAAAAAAAAA', 60),
        done('job_BBBBBBBBBBBBBBBB', 80),
        job({ jobId: 'job_CCCCCCCCCCCCCCCC', status: 'failed', createdAt: at(500) }),
      ]),
    ).toEqual({ typicalMs: 70_000, count: 2 })
    expect(
      renderHistory(['A', 'B', 'C'].map((c, i) => done(`job_${c.repeat(16)}`, [30, 200, 50][i]!))),
    ).toEqual({ typicalMs: 50_000, count: 3 })
  })

  it("the backend's figure wins; without one, an estimate labelled as such; none without history", () => {
    const history = { typicalMs: 80_000, count: 4 }
    const running = job({ jobId: 'job_DDDDDDDDDDDDDDDD', status: 'processing', createdAt: at(20) })
    expect(jobProgress({ ...running, progress: 50 }, NOW, false, history)).toMatchObject({
      percent: 50,
      remainingMs: 20_000,
      typical: false,
    })
    expect(jobProgress({ ...running, progress: 50 }, NOW, false, history).estimated).toBeUndefined()
    expect(jobProgress(running, NOW, false, history)).toMatchObject({
      percent: 25,
      remainingMs: 60_000,
      estimated: true,
    })
    // Past the typical time: never 100 % and never negative time left.
    expect(jobProgress({ ...running, createdAt: at(300) }, NOW, false, history)).toMatchObject({
      percent: 95,
      remainingMs: 0,
    })
    expect(jobProgress(running, NOW, false)).toMatchObject({ typical: true })
    expect(jobProgress(running, NOW, false)).not.toHaveProperty('estimated')
  })
})

describe('the jobs of a project', () => {
  beforeEach(async () => {
    fakeBrowser.reset()
    await projectsItem.setValue({
      currentSessionId: SESSION,
      projects: [
        { sessionId: SESSION, title: 'Night city', createdAt: new Date().toISOString() },
        { sessionId: OTHER, title: 'Coast', createdAt: new Date().toISOString() },
      ],
    })
  })
  afterEach(() => cleanup())

  it("lists only the current project's exports under its name, with an estimate from past renders", async () => {
    const now = Date.now()
    await jobsItem.setValue({
      jobs: [
        { job: done('job_AAAAAAAAAAAAAAAA', 60, now), notified: true },
        { job: { ...done('job_BBBBBBBBBBBBBBBB', 80, now), sessionId: OTHER }, notified: true },
        {
          job: job({ jobId: 'job_CCCCCCCCCCCCCCCC', status: 'processing', createdAt: at(10, now) }),
          notified: false,
        },
      ],
    })
    renderApp(createFakeWorker())
    const list = within(await screen.findByRole('list', { name: 'Exports of “Night city”' }))
    expect(list.getAllByRole('listitem')).toHaveLength(2)
    // Both finished jobs count for the estimate (60 s and 80 s: 70 s typical), whatever project.
    await list.findByText(
      /^Rendering · 0:1\d · about 0:[56]\d left \(estimate from your last 2 exports\)$/,
    )
  })
})
