/**
 * Whether a URL may be handed to the backend to fetch: http(s) to a public host. Refuses loopback,
 * private, link-local, carrier-grade NAT, multicast and unspecified addresses (IPv4 and IPv6, also
 * IPv4-mapped), `localhost`, single-label names and the `.local`/`.internal`/`.localhost` zones.
 * A public name that resolves to a private address cannot be caught here: the worker does not
 * resolve names, the backend does the fetching.
 */
export function isPublicHttpUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  if (url.username || url.password) return false
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host.startsWith('[')) return isPublicIpv6(host.slice(1, -1))
  const v4 = parseIpv4(host)
  if (v4) return isPublicIpv4(v4)
  if (!host.includes('.')) return false
  return !/(^|\.)(localhost|local|internal|localdomain|home\.arpa|intranet|lan)$/.test(host)
}

// The URL parser already turned 0x7f.1, 2130706433 and friends into dotted decimal.
function parseIpv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  return parts.every((p) => p <= 255) ? parts : undefined
}

function isPublicIpv4([a = 0, b = 0]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false
  if (a === 169 && b === 254) return false
  if (a === 172 && b >= 16 && b <= 31) return false
  if (a === 192 && b === 168) return false
  if (a === 100 && b >= 64 && b <= 127) return false
  return true
}

function isPublicIpv6(host: string): boolean {
  const groups = expandIpv6(host)
  if (!groups) return false
  const [g0 = 0] = groups
  if (groups.every((g) => g === 0)) return false // ::
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return false // ::1
  if ((g0 & 0xfe00) === 0xfc00) return false // fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return false // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return false // fec0::/10, the old site-local
  if ((g0 & 0xff00) === 0xff00) return false // multicast
  if (g0 === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return false // 64:ff9b:1::/48, local NAT64
  const inside = embeddedIpv4(groups)
  return inside === undefined || isPublicIpv4(inside)
}

/**
 * The IPv4 address an IPv6 address carries, where the network reaches that IPv4 address:
 * ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), ::ffff:0:a.b.c.d (translated),
 * 64:ff9b::a.b.c.d (NAT64), 2002:aabb:ccdd:: (6to4), 2001:0:…:~a.b.c.d (Teredo).
 */
function embeddedIpv4(groups: number[]): number[] | undefined {
  const g = (i: number) => groups[i] ?? 0
  const octets = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]
  const zeros = (from: number, to: number) => groups.slice(from, to).every((x) => x === 0)
  if (zeros(0, 5) && (g(5) === 0xffff || g(5) === 0)) return octets(g(6), g(7))
  if (zeros(0, 4) && g(4) === 0xffff && g(5) === 0) return octets(g(6), g(7))
  if (g(0) === 0x64 && g(1) === 0xff9b && zeros(2, 6)) return octets(g(6), g(7))
  if (g(0) === 0x2002) return octets(g(1), g(2))
  if (g(0) === 0x2001 && g(1) === 0) return octets(g(6) ^ 0xffff, g(7) ^ 0xffff)
  return undefined
}

function expandIpv6(host: string): number[] | undefined {
  const [head = '', tail] = host.split('::')
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : [])
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const missing = 8 - left.length - right.length
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined
  const groups = [...left, ...new Array<number>(missing).fill(0), ...right]
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined
}
