import { describe, expect, it } from 'vitest'
import { JobId } from '../../../shared/api/index.ts'
import {
  LocalRenders,
  isLocalJobId,
  newLocalJob,
  nextPending,
  takeDueNotifications,
  withCancelled,
  withCompleted,
  withFailed,
  withInterrupted,
  withProgress,
  type LocalRenders as List,
} from '../../../extension/render/local-jobs.ts'

const T0 = new Date('2026-12-06T20:00:00.000Z')
const at = (s: number) => new Date(T0.getTime() + s * 1000)
const TIMELINE = { durationMs: 2000, tracks: [] }

function listOf(...presets: Array<'16:9' | '9:16' | '1:1'>): List {
  return {
    renders: presets.map((p, i) => ({
      job: newLocalJob('ses_local00000000000001', p, 'My trip', T0, `abcdefghijklmnop${i}`),
      notified: false,
      timeline: TIMELINE,
    })),
  }
}
const job = (l: List, i = 0) => l.renders[i]!.job

describe('local render bookkeeping', () => {
  it('a new job is a valid export job of the preset, named after the project, never a worker id', () => {
    const j = newLocalJob('ses_local00000000000001', '9:16', '  My trip ', T0, 'abcdefghijklmnop1')
    expect(JobId.safeParse(j.jobId).success).toBe(true)
    expect(isLocalJobId(j.jobId)).toBe(true)
    expect(isLocalJobId('job_abcdefghijklmnop1234')).toBe(false)
    expect(j).toMatchObject({ preset: '9:16', width: 1080, height: 1920, status: 'pending' })
    expect(j.fileName).toBe('My trip 9x16.mp4')
    expect(
      newLocalJob('ses_local00000000000001', '1:1', undefined, T0, 'x'.repeat(16)).fileName,
    ).toBe('PageReel 1x1.mp4')
    // The stored shape parses (storage reads parse every time).
    expect(LocalRenders.safeParse(listOf('16:9')).success).toBe(true)
  })

  it('progress moves a job to processing, capped below 100 until the file is there', () => {
    let l = withProgress(listOf('16:9'), job(listOf('16:9')).jobId, 42.5, at(3))
    expect(job(l)).toMatchObject({
      status: 'processing',
      progress: 42.5,
      updatedAt: at(3).toISOString(),
    })
    l = withProgress(l, job(l).jobId, 100, at(4))
    expect(job(l).progress).toBe(99)
    l = withCompleted(l, job(l).jobId, { size: 1234, audioCodec: 'opus' }, at(5))
    expect(job(l)).toMatchObject({
      status: 'completed',
      progress: 100,
      completedAt: at(5).toISOString(),
    })
    expect(l.renders[0]).toMatchObject({ size: 1234, audioCodec: 'opus' })
    // The draft is not kept once the render ended.
    expect(l.renders[0]!.timeline).toBeUndefined()
    // A late progress report does not reopen a finished job.
    expect(job(withProgress(l, job(l).jobId, 50, at(6)))).toEqual(job(l))
  })

  it('a cancelled job stays cancelled: a failure reported after the cancel changes nothing', () => {
    const l0 = withProgress(listOf('1:1'), job(listOf('1:1')).jobId, 10, at(1))
    const l1 = withCancelled(l0, job(l0).jobId, at(2))
    expect(job(l1).status).toBe('cancelled')
    expect(l1.renders[0]!.notified).toBe(true)
    expect(withFailed(l1, job(l1).jobId, 'aborted', at(3))).toEqual(l1)
    expect(withCompleted(l1, job(l1).jobId, { size: 1 }, at(3))).toEqual(l1)
  })

  it('a failure carries a render_failed error with the reason', () => {
    const l = withFailed(listOf('16:9'), job(listOf('16:9')).jobId, 'Encoder error', at(1))
    expect(job(l)).toMatchObject({
      status: 'failed',
      error: { code: 'render_failed', message: 'Encoder error' },
    })
  })

  it('after a restart, started renders the renderer does not have fail; waiting ones stay', () => {
    let l = listOf('16:9', '9:16', '1:1')
    l = withProgress(l, job(l, 0).jobId, 30, at(1))
    l = withProgress(l, job(l, 1).jobId, 5, at(1))
    const after = withInterrupted(l, new Set([job(l, 1).jobId]), at(2))
    expect(after.renders.map((r) => r.job.status)).toEqual(['failed', 'processing', 'pending'])
    expect(nextPending(after)?.job.preset).toBe('1:1')
  })

  it('each completion or failure is notified once', () => {
    let l = listOf('16:9', '9:16', '1:1')
    l = withCompleted(l, job(l, 0).jobId, { size: 10 }, at(1))
    l = withFailed(l, job(l, 1).jobId, 'x', at(1))
    const first = takeDueNotifications(l)
    expect(first.due.map((j) => j.preset)).toEqual(['16:9', '9:16'])
    expect(takeDueNotifications(first.list).due).toEqual([])
  })
})
