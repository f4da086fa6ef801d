import { Hono } from 'hono'
import { z } from 'zod'
import { SimulatorConfigPatch } from '../config.ts'
import type { SimContext, SimEnv } from '../context.ts'
import { resetContext, type SimulatorControl } from '../control.ts'
import { Fault } from '../faults.ts'

const UserTokenBody = z
  .object({
    credits: z.number().nonnegative().optional(),
    bind: z
      .string()
      .regex(/^anon_\w+$/)
      .optional(),
  })
  .default({})
const ClockBody = z.object({ advanceMs: z.number().nonnegative() })
const ExpireBody = z.object({ token: z.string().optional() }).default({})
const CreditsBody = z.object({
  token: z.string().default('all'),
  available: z.number().nonnegative(),
})
const NextTurnBody = z.object({
  noText: z.boolean().optional(),
  trailingIssue: z.boolean().optional(),
  style: z.enum(['documented', 'adk']).optional(),
})

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response }

// No `instanceof Response` checks: @hono/node-server swaps the global Response class.
async function body<T extends z.ZodType>(raw: Request, schema: T): Promise<Parsed<z.infer<T>>> {
  const text = await raw.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    return { ok: false, response: Response.json({ error: 'invalid JSON' }, { status: 400 }) }
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    return {
      ok: false,
      response: Response.json({ error: z.prettifyError(parsed.error) }, { status: 400 }),
    }
  }
  return { ok: true, value: parsed.data }
}

/** `/__sim/*`: the control surface over HTTP, for Node-mode users (e2e tests, the demo). */
export function controlRoutes(sim: SimContext, control: SimulatorControl) {
  return (
    new Hono<SimEnv>()
      .get('/__sim/log', (c) => {
        const endpoint = c.req.query('endpoint')
        return c.json(
          endpoint ? sim.state.log.filter((e) => e.endpoint === endpoint) : sim.state.log,
        )
      })
      .post('/__sim/reset', (c) => {
        resetContext(sim)
        return c.json({ ok: true })
      })
      .get('/__sim/config', (c) => c.json(control.config))
      .post('/__sim/config', async (c) => {
        const patch = await body(c.req.raw, SimulatorConfigPatch)
        if (!patch.ok) return patch.response
        return c.json(control.configure(patch.value))
      })
      .get('/__sim/faults', (c) => c.json(control.faults()))
      .post('/__sim/faults', async (c) => {
        const fault = await body(c.req.raw, Fault)
        if (!fault.ok) return fault.response
        return c.json(control.fault(fault.value))
      })
      .delete('/__sim/faults', (c) => {
        control.clearFaults()
        return c.json({ ok: true })
      })
      .post('/__sim/user-tokens', async (c) => {
        const input = await body(c.req.raw, UserTokenBody)
        if (!input.ok) return input.response
        return c.json(control.createUserToken(input.value))
      })
      .post('/__sim/clock', async (c) => {
        const input = await body(c.req.raw, ClockBody)
        if (!input.ok) return input.response
        control.advanceClock(input.value.advanceMs)
        return c.json({ now: control.now() })
      })
      .post('/__sim/tokens/expire', async (c) => {
        const input = await body(c.req.raw, ExpireBody)
        if (!input.ok) return input.response
        if (input.value.token) return c.json({ expired: control.expireToken(input.value.token) })
        control.expireAllTokens()
        return c.json({ expired: true })
      })
      .post('/__sim/credits', async (c) => {
        const input = await body(c.req.raw, CreditsBody)
        if (!input.ok) return input.response
        control.setCredits(input.value.token, input.value.available)
        return c.json({ ok: true })
      })
      .get('/__sim/sessions', (c) => c.json(control.sessionIds()))
      .delete('/__sim/sessions', (c) => {
        control.dropAllSessions()
        return c.json({ ok: true })
      })
      .delete('/__sim/sessions/:id', (c) =>
        c.json({ dropped: control.dropSession(c.req.param('id')) }),
      )
      .get('/__sim/sessions/:id/draft', (c) => {
        const draft = control.draft(c.req.param('id'))
        return draft ? c.json(draft) : c.json({ error: 'no such session' }, 404)
      })
      .post('/__sim/next-turn', async (c) => {
        const input = await body(c.req.raw, NextTurnBody)
        if (!input.ok) return input.response
        control.nextTurn(input.value)
        return c.json({ ok: true })
      })
      .get('/__sim/running', (c) => c.json(control.runningTurns()))
      .get('/__sim/renders', (c) => c.json(control.renders()))
      // A stand-in for Cloudflare Turnstile's siteverify (not NemoVideo), for a worker that turns the
      // human check on: the response `turnstile-pass` passes, anything else fails.
      .post('/__sim/turnstile/siteverify', async (c) => {
        const form = await c.req.formData()
        const passed = Boolean(form.get('secret')) && form.get('response') === 'turnstile-pass'
        return c.json({ success: passed, 'error-codes': passed ? [] : ['invalid-input-response'] })
      })
  )
}
