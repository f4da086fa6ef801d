import type { SimulatorConfig } from './config.ts'
import type { Prng } from './prng.ts'
import { variantEvent } from './profiles.ts'
import { sleep } from './respond.ts'
import { TEMPORARY_ISSUE, type Step, type TurnPlan } from './script.ts'

/** What goes on the wire, before line endings and chunking. */
export type WireItem =
  | { kind: 'event'; data: Record<string, unknown> }
  | { kind: 'raw'; line: string }
  | { kind: 'empty' }
  | { kind: 'comment'; text: string }

export interface TurnOptions {
  /** `variant`: the documented events under other type names and keys (profiles.ts). */
  style: 'documented' | 'adk' | 'variant'
  noText: boolean
  trailingIssue: boolean
  zh: boolean
  rng: Prng
  config: SimulatorConfig
}

/**
 * Runs a scripted turn as wire items. Tool steps mutate the draft as they are reached;
 * `completeRemaining()` runs the ones not reached, because the backend finishes its work even when
 * the stream is dropped or the client goes away.
 */
export function runTurn(plan: TurnPlan, opts: TurnOptions) {
  const done = new Set<Step>()
  const { rng, config, style } = opts
  const scaled = (ms: number) => ms * config.timeScale
  const invocation = `e-${crypto.randomUUID()}`
  const extra = () =>
    config.sse.unknownFields
      ? {
          id: crypto.randomUUID().slice(0, 8),
          invocation_id: invocation,
          timestamp: Date.now() / 1000,
        }
      : {}
  const event = (data: Record<string, unknown>): WireItem => ({
    kind: 'event',
    data: { ...data, ...extra() },
  })

  function keepAlive(): WireItem {
    const roll = rng.next()
    if (config.sse.comments && roll < 0.25) return { kind: 'comment', text: 'ping' }
    if (config.sse.emptyData && roll < 0.55) return { kind: 'empty' }
    return event(style === 'variant' ? variantEvent('heartbeat') : { type: 'heartbeat' })
  }

  function* text(full: string): Generator<WireItem> {
    const pieces = Math.min(full.length, rng.int(2, 5))
    const size = Math.ceil(full.length / pieces)
    for (let i = 0; i < full.length; i += size) {
      const piece = full.slice(i, i + size)
      yield style === 'documented'
        ? event({ type: 'text', content: piece })
        : style === 'variant'
          ? event(variantEvent('text', { content: piece }))
          : event({
              author: 'nemo_agent',
              content: { role: 'model', parts: [{ text: piece }] },
              partial: true,
            })
    }
    if (style === 'adk') {
      const final = { author: 'nemo_agent', content: { role: 'model', parts: [{ text: full }] } }
      yield event(rng.chance(0.5) ? { ...final, partial: false } : final)
    }
  }

  async function* items(): AsyncGenerator<WireItem> {
    for (const step of plan.steps) {
      if (step.type === 'work') {
        let left = step.ms
        while (left > 0) {
          const slice = Math.min(left, config.sse.heartbeatMs * (0.6 + rng.next() * 0.8))
          await sleep(scaled(slice))
          left -= slice
          yield keepAlive()
        }
      } else if (step.type === 'text') {
        done.add(step)
        if (opts.noText && plan.kind === 'edit') continue
        for (const item of text(step.text())) {
          await sleep(scaled(rng.int(50, 400)))
          yield item
        }
      } else {
        const id = `call_${crypto.randomUUID().slice(0, 12)}`
        yield style === 'documented'
          ? event({ type: 'tool_call', name: step.name, args: step.args })
          : style === 'variant'
            ? event(variantEvent('tool_call', { name: step.name, args: step.args }))
            : event({
                author: 'nemo_agent',
                content: {
                  role: 'model',
                  parts: [{ functionCall: { id, name: step.name, args: step.args } }],
                },
              })
        done.add(step)
        const result = step.run()
        await sleep(scaled(rng.int(200, 1500)))
        yield style === 'documented'
          ? event({ type: 'tool_result', name: step.name, result })
          : style === 'variant'
            ? event(variantEvent('tool_result', { name: step.name, result }))
            : event({
                author: 'nemo_agent',
                content: {
                  role: 'user',
                  parts: [{ functionResponse: { id, name: step.name, response: result } }],
                },
              })
      }
    }
    if (opts.trailingIssue) yield* text(opts.zh ? TEMPORARY_ISSUE.zh : TEMPORARY_ISSUE.en)
  }

  return {
    items: items(),
    completeRemaining(): void {
      for (const step of plan.steps) {
        if (step.type === 'tool' && !done.has(step)) {
          done.add(step)
          step.run()
        }
      }
    },
  }
}
