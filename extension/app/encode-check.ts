import { z } from 'zod/mini'
import { probeEncodeSupport, type EncodeSupport } from '../render/encode-support.ts'
import { defineParsedItem } from '../utils/parsed-item.ts'

/** A remembered answer is asked again after this long (a driver or a flag may have changed). */
const FRESH_MS = 24 * 60 * 60 * 1000

const EncodeCheck = z.object({
  /** The browser (and its version) that answered: another one asks again. */
  userAgent: z.string(),
  checkedAt: z.number(),
  support: z.union([
    z.object({ ok: z.literal(true) }),
    z.object({ ok: z.literal(false), reason: z.enum(['no-webcodecs', 'no-h264']) }),
  ]),
})

const encodeCheckItem = defineParsedItem('local:encode-check', z.nullable(EncodeCheck), null)

/**
 * Whether this browser can encode the export, for the popup's "Export here" button. Asking
 * WebCodecs holds the page's main thread for a quarter of a second in Chromium (one encoder set up
 * per preset), which delayed the chat and the preview's first frame on every open: the answer is
 * kept per browser version for a day, and asked afresh only once the page is idle. The renderer
 * asks again before every job, so a stale answer never starts an export that cannot run.
 */
export async function encodeSupport(now = Date.now()): Promise<EncodeSupport> {
  const userAgent = navigator.userAgent
  const kept = await encodeCheckItem.getValue().catch(() => null)
  if (kept && kept.userAgent === userAgent && now - kept.checkedAt < FRESH_MS) return kept.support
  await idle()
  const support = await probeEncodeSupport()
  await encodeCheckItem.setValue({ userAgent, checkedAt: now, support }).catch(() => undefined)
  return support
}

/** Resolves when the page is idle (after its first frames), or after 2 s at most. */
function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(() => resolve(), { timeout: 2000 })
    else setTimeout(resolve, 100)
  })
}
