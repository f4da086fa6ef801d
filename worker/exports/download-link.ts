import { toHex } from './job-id.ts'

/** How long a signed download link works. */
export const DOWNLOAD_LINK_TTL_SECONDS = 5 * 60

const encoder = new TextEncoder()

/**
 * The signing key of an installation's download links, derived from the hash of its secret that
 * KV already keeps: no new secret to provision, and resetting the installation's key revokes every
 * link it signed.
 */
async function linkKey(secretHash: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secretHash),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const derived = await crypto.subtle.sign(
    'HMAC',
    base,
    encoder.encode('pagereel download link v1'),
  )
  return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
}

const payload = (jobId: string, installationId: string, exp: number) =>
  encoder.encode(`${jobId}\n${installationId}\n${exp}`)

export interface SignedLinkParams {
  inst: string
  exp: number
  sig: string
}

/** Query parameters of a link to `jobId`'s file that expires at `exp` (unix seconds). */
export async function signDownload(
  secretHash: string,
  jobId: string,
  installationId: string,
  exp: number,
): Promise<SignedLinkParams> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await linkKey(secretHash),
    payload(jobId, installationId, exp),
  )
  return { inst: installationId, exp, sig: toHex(new Uint8Array(mac)) }
}

/**
 * True when `sig` is this installation's signature of the job and expiry, and `exp` has not passed.
 * `crypto.subtle.verify` compares in constant time.
 */
export async function verifyDownload(
  secretHash: string,
  jobId: string,
  link: SignedLinkParams,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!Number.isSafeInteger(link.exp) || link.exp < nowSeconds) return false
  if (link.exp > nowSeconds + DOWNLOAD_LINK_TTL_SECONDS + 60) return false
  const mac = fromHex(link.sig)
  if (!mac || mac.length !== 32) return false
  return crypto.subtle.verify(
    'HMAC',
    await linkKey(secretHash),
    mac,
    payload(jobId, link.inst, link.exp),
  )
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}
