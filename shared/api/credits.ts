import { z } from 'zod'
import { TokenKind } from './installations.ts'

export const Credits = z.object({
  available: z.number(),
  frozen: z.number(),
  total: z.number(),
  tokenKind: TokenKind,
})
export type Credits = z.infer<typeof Credits>
