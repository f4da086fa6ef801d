import { Hono } from 'hono'
import { z } from 'zod'
import type { SimContext, SimEnv } from '../context.ts'
import { claimData, tokenData } from '../profiles.ts'
import { fail, ok } from '../respond.ts'

const ClaimBody = z.object({ task_id: z.string().optional(), session_id: z.string() })

/** Anonymous tokens (with the per-client and per-IP caps), credits and claim tokens. */
export function accountRoutes(sim: SimContext) {
  return new Hono<SimEnv>()
    .post('/api/auth/anonymous-token', (c) => {
      const { state } = sim
      const clientId = c.req.header('x-client-id')?.trim()
      if (!clientId) return fail(400)
      if (clientId.length > 64) return fail(400, 'X-Client-Id must be at most 64 characters')
      const now = state.now()
      const window = state.config.tokenTtlMs
      const ip =
        c.req.header('cf-connecting-ip') ??
        c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ??
        'local'
      const lastForClient = state.issuedByClient.get(clientId)
      if (lastForClient !== undefined && now - lastForClient < window) {
        return fail(429, 'Rate limit exceeded: one token per client id per 7 days')
      }
      const recent = (state.issuedByIp.get(ip) ?? []).filter((t) => now - t < window)
      if (recent.length >= state.config.tokensPerIp) {
        return fail(429, 'Rate limit exceeded: too many tokens from this IP address')
      }
      state.issuedByClient.set(clientId, now)
      state.issuedByIp.set(ip, [...recent, now])
      const record = state.issueToken('anonymous', { clientId, ip, issuedAt: now })
      return ok(
        tokenData(state.config.profile, {
          token: record.token,
          userId: record.userId,
          credits: record.credits.available,
          expiresAt: record.expiresAt,
          scopes: record.scopes,
        }),
      )
    })
    .get('/api/credits/balance/simple', (c) => {
      const { available, frozen, total } = c.var.auth.credits
      return ok({ available, frozen, total })
    })
    .post('/api/auth/claim-token', async (c) => {
      const parsed = ClaimBody.safeParse(c.var.entry.body)
      if (!parsed.success) return fail(400, 'session_id is required')
      const session = sim.state.sessions.get(parsed.data.session_id)
      if (!session || session.userId !== c.var.auth.userId) return fail(1002)
      const claimToken = `clm_${crypto.randomUUID().replace(/-/g, '')}`
      const expiresAt = sim.state.now() + 7 * 24 * 3600 * 1000
      sim.state.claims.set(claimToken, { sessionId: session.id, expiresAt })
      return ok(claimData(sim.state.config.profile, claimToken, expiresAt))
    })
}
