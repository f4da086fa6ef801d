/** Renew an anonymous token when less than this is left of its 7 days. */
export const RENEW_MARGIN_MS = 24 * 3600 * 1000
/** After the backend refused a token, ask again no sooner than this (it counts per address). */
export const REFUSAL_BACKOFF_MS = 60_000

/** Whether a token of this kind and expiry can be used without renewing it first. */
export function isTokenFresh(kind: 'anonymous' | 'user', expiresAt: string | undefined, now = Date.now()): boolean {
  if (kind === 'user') return true
  return expiresAt !== undefined && Date.parse(expiresAt) - now > RENEW_MARGIN_MS
}
