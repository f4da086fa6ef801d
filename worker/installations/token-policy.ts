/**
 * An anonymous token is used until its 7 days are over (or the backend refuses it), not renewed
 * early. The backend gives one token per client id per 7 days, and its anonymous user (the owner
 * of the sessions, drafts and renders) follows the client id: a renewal inside the 7 days would
 * need a new client id and so a new, empty backend user. At the end of the 7 days the same client
 * id gets a new token and the user's projects carry on.
 */
export const RENEW_MARGIN_MS = 0
/** After the backend refused a token, ask again no sooner than this (it counts per address). */
export const REFUSAL_BACKOFF_MS = 60_000

/** Whether a token of this kind and expiry can be used without renewing it first. */
export function isTokenFresh(
  kind: 'anonymous' | 'user',
  expiresAt: string | undefined,
  now = Date.now(),
): boolean {
  if (kind === 'user') return true
  return expiresAt !== undefined && Date.parse(expiresAt) - now > RENEW_MARGIN_MS
}
