import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { encodeSupport } from '../../../extension/app/encode-check.ts'
import { stubEncoder } from './stub-encoder.ts'

beforeEach(() => fakeBrowser.reset())
afterEach(() => vi.unstubAllGlobals())

describe('the popup’s encoder check', () => {
  it('asks WebCodecs once, then answers from what it kept for this browser', async () => {
    const asked = stubEncoder(false)
    expect(await encodeSupport(1_000)).toEqual({ ok: false, reason: 'no-h264' })
    expect(asked.length).toBeGreaterThan(0)
    const before = asked.length
    expect(await encodeSupport(2_000)).toEqual({ ok: false, reason: 'no-h264' })
    expect(asked).toHaveLength(before)
  })

  it('asks again a day later, or in another browser version', async () => {
    const asked = stubEncoder(true)
    expect(await encodeSupport(0)).toEqual({ ok: true })
    const once = asked.length
    await encodeSupport(25 * 60 * 60 * 1000)
    expect(asked).toHaveLength(once * 2)
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue('Chrome/999')
    await encodeSupport(25 * 60 * 60 * 1000 + 1)
    expect(asked).toHaveLength(once * 3)
  })
})
