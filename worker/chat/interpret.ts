/**
 * What one upstream event means for the turn. The event JSON is not specified (contract, "Chat
 * stream events"), so both known styles are read and anything else is ignored:
 * - documented: `{"type":"text","content"}`, `{"type":"tool_call"}`, `{"type":"tool_result"}`,
 *   `{"type":"heartbeat"}`;
 * - Google ADK: `content.parts[]` with `text` / `functionCall` / `functionResponse`, streamed as
 *   `partial: true` deltas followed by one final event that repeats the whole text.
 */
export type UpstreamSignal =
  { kind: 'text'; text: string; partial: boolean } | { kind: 'tool_call' } | { kind: 'tool_result' }

/**
 * Plain checks, not schemas: this runs for every upstream event, and trying a schema that fails
 * (every documented event tried as ADK first) builds an error object each time.
 */
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const TEXT_TYPES = new Set(['text', 'message', 'text_delta'])
const TOOL_CALL_TYPES = new Set(['tool_call', 'function_call', 'tool_use'])
const TOOL_RESULT_TYPES = new Set(['tool_result', 'function_result', 'function_response'])

/** Reads one `data:` payload. Empty data, heartbeats, broken JSON and unknown shapes give nothing. */
export function interpretUpstreamData(data: string): UpstreamSignal[] {
  if (data.trim() === '') return []
  let json: unknown
  try {
    json = JSON.parse(data)
  } catch {
    return []
  }
  if (!isRecord(json)) return []
  const { content, partial } = json
  const adkPartial = partial === undefined || partial === null || typeof partial === 'boolean'
  if (isRecord(content) && Array.isArray(content.parts) && adkPartial)
    return fromAdk(content.parts, partial === true)
  if (typeof json.type === 'string') return fromDocumented(json.type, json)
  return []
}

function fromDocumented(rawType: string, event: Record<string, unknown>): UpstreamSignal[] {
  const type = rawType.toLowerCase()
  if (TOOL_CALL_TYPES.has(type)) return [{ kind: 'tool_call' }]
  if (TOOL_RESULT_TYPES.has(type)) return [{ kind: 'tool_result' }]
  if (!TEXT_TYPES.has(type)) return []
  const text = [event.content, event.text, event.delta].find(
    (v): v is string => typeof v === 'string',
  )
  // Documented text events are pieces of the reply, in order: each one is new text.
  return text ? [{ kind: 'text', text, partial: false }] : []
}

function fromAdk(parts: unknown[], partial: boolean): UpstreamSignal[] {
  const signals: UpstreamSignal[] = []
  let text = ''
  for (const p of parts) {
    if (!isRecord(p)) continue
    if (p.functionCall !== undefined || p.function_call !== undefined)
      signals.push({ kind: 'tool_call' })
    else if (p.functionResponse !== undefined || p.function_response !== undefined)
      signals.push({ kind: 'tool_result' })
    // A model's "thought" parts are its reasoning, not the reply.
    else if (typeof p.text === 'string' && p.thought !== true) text += p.text
  }
  if (text !== '') signals.unshift({ kind: 'text', text, partial })
  return signals
}

/**
 * Turns ADK's partial deltas plus the final repeat into plain deltas, so no text is shown twice.
 * A final event after deltas yields only what the deltas did not already say; a final event with
 * no deltas before it (and every documented text event) is new text.
 */
export class TextDeltas {
  private streamed = ''

  next(signal: { text: string; partial: boolean }): string {
    if (signal.partial) {
      this.streamed += signal.text
      return signal.text
    }
    const streamed = this.streamed
    this.streamed = ''
    if (streamed === '') return signal.text
    if (signal.text.startsWith(streamed)) return signal.text.slice(streamed.length)
    // The final differs from the deltas (reformatted, or shorter): what was shown stands.
    return ''
  }
}
