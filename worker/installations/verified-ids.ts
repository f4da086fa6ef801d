/**
 * Installation ids this isolate saw pass a whole key check: their existence is proven, so a later
 * call need not look it up in KV again. That is one KV read less per keyed call (KV reads are a
 * daily quota on Cloudflare's free plan, and a chat turn, a media file and a job poll each made
 * one), and a known installation whose KV copy has not reached this location yet is no longer
 * charged a failed attempt on every call. Only ids of verified keys enter, so guessed keys cost no
 * memory; the keeper, asked on every call, stays the authority, and an id it no longer knows is
 * forgotten (`forget`).
 */
const MAX_IDS = 5000

/** Oldest first (a Set keeps insertion order): the first one goes when the memory is full. */
const verified = new Set<string>()

export function isVerified(installationId: string): boolean {
  return verified.has(installationId)
}

export function remember(installationId: string): void {
  verified.delete(installationId)
  verified.add(installationId)
  if (verified.size > MAX_IDS) verified.delete(verified.values().next().value!)
}

export function forget(installationId: string): void {
  verified.delete(installationId)
}
