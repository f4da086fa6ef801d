import { z } from 'zod'
import { looseNumber } from './envelope.ts'

/** `data` of `GET /api/credits/balance/simple`; a missing number counts as 0. */
export const CreditsData = z
  .looseObject({ available: looseNumber, frozen: looseNumber, total: looseNumber })
  .transform((d) => ({ available: d.available ?? 0, frozen: d.frozen ?? 0, total: d.total ?? 0 }))
export type CreditsData = z.infer<typeof CreditsData>
