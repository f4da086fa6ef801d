import { z } from 'zod'
import { looseNumber } from './envelope.ts'

/**
 * `data` of `POST /api/auth/anonymous-token`: the token, valid 7 days by the docs. An expiry, when
 * the backend adds one, is accepted as an ISO/epoch `expires_at` or a seconds `expires_in`.
 */
export const AnonymousTokenData = z.looseObject({
  token: z.string().min(8),
  expires_at: z.union([z.string(), z.number()]).optional().catch(undefined),
  expires_in: looseNumber,
  user_id: z.string().optional().catch(undefined),
})
export type AnonymousTokenData = z.infer<typeof AnonymousTokenData>

/** `data` of `POST /api/auth/claim-token`. */
export const ClaimTokenData = z.looseObject({
  claim_token: z.string().min(1),
  expires_at: z.union([z.string(), z.number()]).optional().catch(undefined),
})
export type ClaimTokenData = z.infer<typeof ClaimTokenData>
