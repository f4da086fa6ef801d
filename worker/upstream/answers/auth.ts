import { z } from 'zod'
import { looseNumber } from './envelope.ts'
import { KEYS } from './keys.ts'
import { asId, asText, isRecord, pick } from './pick.ts'

/**
 * `data` of `POST /api/auth/anonymous-token`: the token, valid 7 days by the docs. An expiry, when
 * the backend adds one, is accepted as an ISO/epoch `expires_at` or a seconds `expires_in`. The
 * token and the anonymous user id are read from any key of KEYS.ids (`access_token`, `bind_id`,
 * `anon_id`, `user.id`…) into `token` and `user_id`.
 */
export const AnonymousTokenData = z.preprocess(
  (data) => {
    if (!isRecord(data)) return data
    const one = [data]
    const token = pick(one, KEYS.ids.token, asText)
    const userId = pick(one, KEYS.ids.bind, asId)
    return { ...data, ...(token && { token }), ...(userId && { user_id: userId }) }
  },
  z.looseObject({
    token: z.string().min(8),
    expires_at: z.union([z.string(), z.number()]).optional().catch(undefined),
    expires_in: looseNumber,
    user_id: z.string().optional().catch(undefined),
  }),
)
export type AnonymousTokenData = z.infer<typeof AnonymousTokenData>

/** `data` of `POST /api/auth/claim-token` (`claim_token`, `claimToken` or `ct`). */
export const ClaimTokenData = z.preprocess(
  (data) => {
    if (!isRecord(data)) return data
    const claim = pick([data], ['claim_token', 'claimToken', 'ct', 'token'], asText)
    return { ...data, ...(claim && { claim_token: claim }) }
  },
  z.looseObject({
    claim_token: z.string().min(1),
    expires_at: z.union([z.string(), z.number()]).optional().catch(undefined),
  }),
)
export type ClaimTokenData = z.infer<typeof ClaimTokenData>
