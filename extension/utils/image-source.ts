/** Where an image's bytes can come from, decided by its URL alone. */
export type ImageSourceKind = 'data' | 'blob' | 'private' | 'public' | 'unsupported'

/** Hosts the worker cannot reach from the internet: loopback, LAN, link-local, single-label, .local. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h.endsWith('.local') ||
    h.endsWith('.internal')
  )
    return true
  if (h.includes(':')) return h === '::1' || /^f[cd]/.test(h) || h.startsWith('fe80:')
  if (!h.includes('.')) return true
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h)
  if (!m) return false
  const [a, b] = [Number(m[1]), Number(m[2])]
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  )
}

export function imageSourceKind(url: string): ImageSourceKind {
  if (url.startsWith('data:')) return 'data'
  if (url.startsWith('blob:')) return 'blob'
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'unsupported'
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'unsupported'
  return isPrivateHost(u.hostname) ? 'private' : 'public'
}

export function sameOrigin(a: string, b: string | undefined): boolean {
  if (!b) return false
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

/** The host permission pattern of a URL's origin (`https://example.com/*`). */
export function originPattern(url: string): string | undefined {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}/*` : undefined
  } catch {
    return undefined
  }
}

/** Decodes a `data:` URL without a network request. */
export function decodeDataUrl(url: string): Blob | undefined {
  const m = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(url)
  if (!m) return undefined
  const type = m[1] || 'text/plain'
  const payload = m[4] ?? ''
  try {
    if (m[3]) {
      const bin = atob(payload)
      const bytes = new Uint8Array(bin.length)
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
      return new Blob([bytes], { type })
    }
    return new Blob([decodeURIComponent(payload)], { type })
  } catch {
    return undefined
  }
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return bytes
}

/**
 * The base64 of a blob's bytes, read by the browser (FileReader) rather than through a typed
 * array: in a Firefox content script the page's `fetch` hands back buffers of the page's
 * compartment, and a `Uint8Array` built over one is refused ("Permission denied to access
 * property \"constructor\"").
 */
export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.onerror = () => reject(reader.error ?? new Error('could not read the image'))
    reader.readAsDataURL(blob)
  })
}

/** A stable identity for locally read bytes, so the same image is not added twice. */
export async function bytesId(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return [...new Uint8Array(digest).slice(0, 12)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}
