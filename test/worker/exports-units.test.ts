import { describe, it } from 'vitest'
import { JobId } from '../../shared/api/exports.ts'
import { backoffMs, MAX_BACKOFF_INTERVALS } from '../../worker/exports/config.ts'
import {
  DOWNLOAD_LINK_TTL_SECONDS,
  signDownload,
  verifyDownload,
} from '../../worker/exports/download-link.ts'
import { withPresetFrame } from '../../worker/exports/draft-frame.ts'
import { exportFileName } from '../../worker/exports/file-name.ts'
import { deriveJobId, renderIdFor } from '../../worker/exports/job-id.ts'

const HASH_A = 'a'.repeat(64)
const HASH_B = 'b'.repeat(64)
const INST = 'inst_0123456789abcdef'

describe('job ids', () => {
  it('derives the same id from the same installation and key, a different one otherwise', async ({
    expect,
  }) => {
    const a = await deriveJobId(INST, 'click-0001')
    expect(JobId.safeParse(a).success).toBe(true)
    expect(await deriveJobId(INST, 'click-0001')).toBe(a)
    expect(await deriveJobId(INST, 'click-0002')).not.toBe(a)
    expect(await deriveJobId('inst_fedcba9876543210', 'click-0001')).not.toBe(a)
  })

  it('gives each render attempt its own backend id', ({ expect }) => {
    expect(renderIdFor('job_abc', 1)).toBe('render_job_abc_1')
    expect(renderIdFor('job_abc', 2)).not.toBe(renderIdFor('job_abc', 1))
  })
})

describe('download link signatures', () => {
  const now = 1_800_000_000
  const exp = now + DOWNLOAD_LINK_TTL_SECONDS

  it('accepts its own signature until it expires', async ({ expect }) => {
    const link = await signDownload(HASH_A, 'job_1', INST, exp)
    expect(link.sig).toMatch(/^[0-9a-f]{64}$/)
    expect(await verifyDownload(HASH_A, 'job_1', link, now)).toBe(true)
    expect(await verifyDownload(HASH_A, 'job_1', link, exp)).toBe(true)
    expect(await verifyDownload(HASH_A, 'job_1', link, exp + 1)).toBe(false)
  })

  it('refuses another job, another installation, another key, a changed expiry or a mangled sig', async ({
    expect,
  }) => {
    const link = await signDownload(HASH_A, 'job_1', INST, exp)
    expect(await verifyDownload(HASH_A, 'job_2', link, now)).toBe(false)
    expect(
      await verifyDownload(HASH_A, 'job_1', { ...link, inst: 'inst_fedcba9876543210' }, now),
    ).toBe(false)
    expect(await verifyDownload(HASH_B, 'job_1', link, now)).toBe(false)
    expect(await verifyDownload(HASH_A, 'job_1', { ...link, exp: exp - 1 }, now)).toBe(false)
    const flipped = (link.sig[0] === '0' ? '1' : '0') + link.sig.slice(1)
    expect(await verifyDownload(HASH_A, 'job_1', { ...link, sig: flipped }, now)).toBe(false)
    expect(await verifyDownload(HASH_A, 'job_1', { ...link, sig: 'zz' }, now)).toBe(false)
    expect(await verifyDownload(HASH_A, 'job_1', { ...link, sig: '' }, now)).toBe(false)
  })

  it('refuses a link that claims to live longer than a link can', async ({ expect }) => {
    const far = now + 24 * 3600
    const link = await signDownload(HASH_A, 'job_1', INST, far)
    expect(await verifyDownload(HASH_A, 'job_1', link, now)).toBe(false)
  })
})

describe('the submitted draft', () => {
  it('sets the preset frame in m and keeps every other field', ({ expect }) => {
    const draft = {
      t: [{ tt: 0, sg: [{ x: 1 }] }],
      d: 10_000,
      m: { title: 'Urban', width: 640, height: 480 },
      extra: true,
    }
    expect(withPresetFrame(draft, '9:16')).toEqual({
      ...draft,
      m: { title: 'Urban', width: 1080, height: 1920 },
    })
    expect(withPresetFrame(draft, '16:9').m).toEqual({ title: 'Urban', width: 1920, height: 1080 })
    expect(withPresetFrame({ t: [] }, '1:1')).toEqual({ t: [], m: { width: 1080, height: 1080 } })
    expect(draft.m.width).toBe(640)
  })
})

describe('file names and backoff', () => {
  it('names the file after the preset and the UTC completion time', ({ expect }) => {
    expect(exportFileName('9:16', Date.UTC(2026, 10, 24, 9, 5))).toBe(
      'pagereel-20261124-0905-9x16.mp4',
    )
    expect(exportFileName('16:9', Date.UTC(2026, 0, 2, 23, 59))).toBe(
      'pagereel-20260102-2359-16x9.mp4',
    )
  })

  it('doubles the wait per error in a row, capped', ({ expect }) => {
    expect([0, 1, 2, 3].map((n) => backoffMs(30_000, n))).toEqual([30_000, 30_000, 60_000, 120_000])
    expect(backoffMs(30_000, 30)).toBe(30_000 * MAX_BACKOFF_INTERVALS)
    expect(backoffMs(30_000, 6)).toBe(30_000 * MAX_BACKOFF_INTERVALS)
  })
})
