/**
 * Whether a URL may be handed to the backend to fetch: http(s) to a public host. Refuses loopback,
 * private, link-local, carrier-grade NAT, multicast and unspecified addresses, the special-purpose
 * ranges (benchmarking, documentation, IETF protocol assignments, 6to4 relays, discard-only) and
 * every IPv6 address outside global unicast (also IPv4 inside IPv6), `localhost`, single-label
 * names and the `.local`/`.internal`/`.localhost` zones. A public name that resolves to a private
 * address cannot be caught here: the worker does not resolve names, the backend does the fetching.
 * Callers forward `canonicalPublicUrl`'s answer, never the raw string.
 */
export function isPublicHttpUrl(raw: string): boolean {
  return canonicalPublicUrl(raw) !== undefined
}

/**
 * The one form of a URL that is checked and forwarded: WHATWG's serialisation (`new URL(…).href`),
 * when it is a public http(s) URL. The raw string never goes on: parsers disagree on strings such
 * as `http://evil.example\@127.0.0.1/a.png` (WHATWG reads the host `evil.example`, others
 * `127.0.0.1`), while the serialised form has one reading.
 */
export function canonicalPublicUrl(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (!isPublicUrl(url)) return undefined
  // The serialised form must read the same again: anything else is a string parsers fight over.
  const href = url.href
  const again = new URL(href)
  return again.href === href && isPublicUrl(again) ? href : undefined
}

function isPublicUrl(url: URL): boolean {
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

// IANA's IPv4 special-purpose registry, less the few that are globally reachable services.
function isPublicIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false // this network, private, loopback, multicast, 240/4
  if (a === 169 && b === 254) return false // link-local
  if (a === 172 && b >= 16 && b <= 31) return false
  if (a === 192 && b === 168) return false
  if (a === 100 && b >= 64 && b <= 127) return false // carrier-grade NAT
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false // 6to4 relay anycast (deprecated)
  if (a === 198 && (b === 18 || b === 19)) return false // benchmarking 198.18/15
  if (a === 198 && b === 51 && c === 100) return false // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false // TEST-NET-3
  return true
}

function isPublicIpv6(host: string): boolean {
  const groups = expandIpv6(host)
  if (!groups) return false
  const [g0 = 0, g1 = 0] = groups
  const inside = embeddedIpv4(groups)
  // IPv4 inside IPv6 (mapped, translated, NAT64, 6to4): public only if its IPv4 address is.
  if (inside !== undefined) return isPublicIpv4(inside) && g0 !== 0x2001
  // Outside global unicast 2000::/3 everything is reserved, local, multicast or discard-only
  // (::, ::1, 100::/64, fc00::/7, fe80::/10, ff00::/8, and the unassigned rest).
  if ((g0 & 0xe000) !== 0x2000) return false
  if (g0 === 0x2001 && g1 < 0x0200) return false // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID)
  if (g0 === 0x2001 && g1 === 0x0db8) return false // 2001:db8::/32 documentation
  if ((g0 & 0xfff0) === 0x3ff0) return false // 3fff::/20 documentation
  if (g0 === 0x5f00) return false // 5f00::/16 SRv6 segment ids
  return true
}

/**
 * The IPv4 address an IPv6 address carries, where the network reaches that IPv4 address:
 * ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), ::ffff:0:a.b.c.d (translated),
 * 64:ff9b::a.b.c.d (NAT64), 2002:aabb:ccdd:: (6to4), 2001:0:…:~a.b.c.d (Teredo). Only ::/96
 * with a non-zero address counts as compatible (:: and ::1 are themselves).
 */
function embeddedIpv4(groups: number[]): number[] | undefined {
  const g = (i: number) => groups[i] ?? 0
  const octets = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]
  const zeros = (from: number, to: number) => groups.slice(from, to).every((x) => x === 0)
  if (zeros(0, 5) && g(5) === 0xffff) return octets(g(6), g(7))
  if (zeros(0, 6) && g(6) !== 0) return octets(g(6), g(7))
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
