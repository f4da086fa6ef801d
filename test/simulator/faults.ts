import { z } from 'zod'

/** Names of the backend's endpoints, as the log and faults refer to them. */
export const EndpointName = z.enum([
  'anonymous-token',
  'session',
  'run_sse',
  'upload',
  'credits',
  'state',
  'render-submit',
  'render-status',
  'render-cancel',
  'render-download',
  'claim',
  'files',
  'media',
])
export type EndpointName = z.infer<typeof EndpointName>

const times = z.number().int().min(1).default(1)
const endpoint = EndpointName.optional()

/**
 * One injected failure. `endpoint` omitted means any backend endpoint; `times` is how many
 * matching requests it hits (default 1). Stream faults apply to `/run_sse` only.
 */
export const Fault = z.discriminatedUnion('kind', [
  /** Answer with this HTTP status and a plain error body. */
  z.object({
    kind: z.literal('http'),
    endpoint,
    times,
    status: z.number().int().min(400).max(599),
  }),
  /** Answer with a backend error code (HTTP status as the real one would use). */
  z.object({
    kind: z.literal('code'),
    endpoint,
    times,
    code: z.union([1001, 1002, 2001, 400, 402, 429, 4001, 4002].map((c) => z.literal(c))),
    /** A Retry-After header (seconds) on the answer, as a rate-limited backend may send. */
    retryAfterSec: z.number().int().nonnegative().optional(),
  }),
  /** Hold the answer this many real milliseconds (timeScale does not apply). */
  z.object({ kind: z.literal('slow'), endpoint, times, delayMs: z.number().nonnegative() }),
  /** 200 with a body that is not JSON. */
  z.object({ kind: z.literal('malformed-json'), endpoint, times }),
  /** Close the chat stream abruptly in the middle of event number `afterEvents` + 1. */
  z.object({
    kind: z.literal('drop-stream'),
    times,
    afterEvents: z.number().int().min(0),
    /** Reset the connection (the reader errors) instead of a clean close. */
    abort: z.boolean().default(false),
  }),
  /** Hold the chat stream's first byte (headers are sent) this many real ms. */
  z.object({ kind: z.literal('slow-first-byte'), times, delayMs: z.number().nonnegative() }),
  /** One chat event whose `data:` is broken JSON. */
  z.object({ kind: z.literal('malformed-event'), times }),
  /** The next render(s) submitted (or this one) end `failed`. */
  z.object({
    kind: z.literal('render-fail'),
    times,
    renderId: z.string().optional(),
    error: z.string().default('Render node crashed while compositing layers'),
  }),
])
export type Fault = z.infer<typeof Fault>
export type FaultInput = z.input<typeof Fault>

/** The armed faults; each is used up by the requests it hits. */
export class FaultBox {
  #armed: Array<{ fault: Fault; left: number }> = []

  add(input: FaultInput): Fault {
    const fault = Fault.parse(input)
    this.#armed.push({ fault, left: fault.times })
    return fault
  }

  /** Takes one shot of the first armed fault of one of `kinds` that matches `endpointName`. */
  take<K extends Fault['kind']>(
    kinds: readonly K[],
    endpointName: EndpointName,
    match: (fault: Extract<Fault, { kind: K }>) => boolean = () => true,
  ): Extract<Fault, { kind: K }> | undefined {
    const isKind = (f: Fault): f is Extract<Fault, { kind: K }> =>
      (kinds as readonly string[]).includes(f.kind)
    const hit = this.#armed.find(
      ({ fault: f }) =>
        isKind(f) &&
        (!('endpoint' in f) || f.endpoint === undefined || f.endpoint === endpointName) &&
        match(f),
    )
    if (!hit || !isKind(hit.fault)) return undefined
    hit.left -= 1
    if (hit.left <= 0) this.#armed.splice(this.#armed.indexOf(hit), 1)
    return hit.fault
  }

  list(): Fault[] {
    return this.#armed.map(({ fault, left }) => ({ ...fault, times: left }))
  }

  clear(): void {
    this.#armed = []
  }
}
