import { Hono } from 'hono'
import { z } from 'zod'
import type { SimContext, SimEnv } from '../context.ts'
import { fail } from '../respond.ts'
import { planTurn, wantsChinese } from '../script.ts'
import { sseStream } from '../sse-wire.ts'
import { runTurn } from '../turn.ts'

const RunBody = z.object({
  app_name: z.string().optional(),
  user_id: z.string().optional(),
  session_id: z.string(),
  new_message: z.object({ parts: z.array(z.object({ text: z.string() }).partial()).min(1) }),
})

/** `POST /run_sse`: a scripted turn as a nasty event stream; tool steps really edit the draft. */
export function chatRoutes(sim: SimContext) {
  return new Hono<SimEnv>().post('/run_sse', (c) => {
    const { state, faults } = sim
    const parsed = RunBody.safeParse(c.var.entry.body)
    if (!parsed.success) return fail(400, 'Invalid run_sse body')
    const session = state.sessions.get(parsed.data.session_id)
    if (!session || session.userId !== c.var.auth.userId) return fail(1002)
    const prompt = parsed.data.new_message.parts
      .map((p) => p.text ?? '')
      .join('\n')
      .trim()
    if (session.running > 0) c.var.entry.reentrant = true

    const credits = c.var.auth.credits
    const plan = planTurn(session, prompt, state.config.costs)
    if (plan.cost > credits.available) return fail(2001)
    credits.available -= plan.cost
    credits.frozen += plan.cost
    if (plan.kind === 'edit') session.editCharged = true

    const override = state.nextTurns.shift() ?? {}
    const { rng } = session
    const styleSetting = state.config.sseStyle
    const { profile } = state.config
    // A profile fixes the event style; the documented one keeps the configured mix.
    const style =
      override.style ??
      (profile === 'minimal'
        ? 'adk'
        : profile === 'variant'
          ? 'variant'
          : styleSetting === 'mixed'
            ? rng.chance(0.5)
              ? 'adk'
              : 'documented'
            : styleSetting)
    const zh = wantsChinese(session, prompt)
    const turn = runTurn(plan, {
      style,
      zh,
      rng,
      config: state.config,
      noText: override.noText ?? rng.chance(state.config.sse.noTextRate),
      trailingIssue: override.trailingIssue ?? rng.chance(state.config.sse.trailingIssueRate),
    })
    const drop = faults.take(['drop-stream'], 'run_sse')
    const slow = faults.take(['slow-first-byte'], 'run_sse')
    const malformed = faults.take(['malformed-event'], 'run_sse')
    session.running += 1
    session.turns += 1

    const body = sseStream(turn.items, {
      rng,
      sse: state.config.sse,
      dropAfterEvents: drop?.afterEvents,
      dropWithError: drop?.abort,
      malformedEvent: Boolean(malformed),
      firstByteDelayMs: slow?.delayMs,
      onFinish: () => {
        turn.completeRemaining()
        session.running -= 1
        credits.frozen = Math.max(0, credits.frozen - plan.cost)
        credits.total = Math.max(0, credits.total - plan.cost)
      },
    })
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      },
    })
  })
}
