import fc from 'fast-check'
import { beforeAll, describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { api, json, logOf, openSession, register, sim } from './helpers.ts'

/**
 * URL uploads hand a URL to the backend, which fetches it: only http(s) to public hosts may go.
 * Private, loopback, link-local and other non-public IPv4 addresses are generated here in every
 * spelling a URL parser accepts (integer, hex, octal, short forms, IPv6-mapped and -translated,
 * NAT64 and 6to4 wrappers), with userinfo and fragment tricks; none may reach the backend.
 * The fixed examples are in uploads.test.ts.
 */

let key: string
let sessionId: string

beforeAll(async () => {
  ;({ key } = await register())
  sessionId = await openSession(key)
})

/** [first octet, second octet range] of blocks that are not public. */
const PRIVATE_BLOCKS: Array<[number, number, number]> = [
  [0, 0, 255],
  [10, 0, 255],
  [100, 64, 127],
  [127, 0, 255],
  [169, 254, 254],
  [172, 16, 31],
  [192, 168, 168],
  [224, 0, 255],
  [255, 255, 255],
]

const privateV4 = fc
  .tuple(fc.constantFrom(...PRIVATE_BLOCKS), fc.nat(255), fc.nat(255), fc.nat(255))
  .map(([[a, lo, hi], b, c, d]) => [a, lo + (b % (hi - lo + 1)), c, d] as const)

const hex = (n: number) => n.toString(16)

/** Spellings of one IPv4 address as a URL host. */
function spellings([a, b, c, d]: readonly [number, number, number, number]): string[] {
  const int = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d
  const hi = (a << 8) | b
  const lo = (c << 8) | d
  return [
    `${a}.${b}.${c}.${d}`,
    String(int),
    `0x${hex(int)}`,
    `0x${hex(a)}.0x${hex(b)}.0x${hex(c)}.0x${hex(d)}`,
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`,
    `${a}.${(b << 16) + (c << 8) + d}`,
    `${a}.${b}.${(c << 8) + d}`,
    `${a}.${b}.${c}.${d}.`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${hex(hi)}:${hex(lo)}]`,
    `[0:0:0:0:0:ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:0:${hex(hi)}:${hex(lo)}]`,
    `[64:ff9b::${hex(hi)}:${hex(lo)}]`,
    `[2002:${hex(hi)}:${hex(lo)}::1]`,
  ]
}

const wrappers = [
  (host: string) => `http://${host}/a.jpg`,
  (host: string) => `https://${host}:8443/clip.mp4?x=1`,
  (host: string) => `http://cdn.example.com@${host}/a.jpg`,
  (host: string) => `HTTP://${host.toUpperCase()}/A.JPG`,
  (host: string) => `http://${host}#@cdn.example.com/a.jpg`,
]

async function refusedAlone(url: string): Promise<{ status: number; code: string | undefined }> {
  const res = await api(paths.uploadUrls(sessionId), json('POST', { urls: [url] }), key)
  const body = res.status === 200 ? undefined : ErrorEnvelope.safeParse(await res.json())
  return { status: res.status, code: body?.success ? body.data.error.code : undefined }
}

describe('URL uploads', () => {
  it('refuse every spelling of a non-public IPv4 address, and send nothing upstream', async ({
    expect,
  }) => {
    const before = sim.log.length
    await fc.assert(
      fc.asyncProperty(privateV4, fc.nat(), fc.nat(), async (address, pick, wrap) => {
        const forms = spellings(address)
        const url = wrappers[wrap % wrappers.length]!(forms[pick % forms.length]!)
        const { status, code } = await refusedAlone(url)
        expect(status, url).toBe(400)
        expect(['url_not_allowed', 'invalid_request'], url).toContain(code)
      }),
      { numRuns: 200 },
    )
    expect(logOf('upload', before)).toHaveLength(0)
  })

  it('refuse local names and non-public IPv6 in any case and with a trailing dot', async ({
    expect,
  }) => {
    const hosts = [
      'localhost',
      'LOCALHOST.',
      'foo.localhost',
      'nas.local.',
      'router.lan',
      'db.internal',
      'box.home.arpa',
      'intranet',
      '[::]',
      '[::1]',
      '[0:0:0:0:0:0:0:1]',
      '[fe80::1]',
      '[FE80::abcd:1]',
      '[fec0::1]',
      '[fd00::1]',
      '[ff02::1]',
    ]
    const before = sim.log.length
    for (const host of hosts) {
      for (const wrap of wrappers) {
        const url = wrap(host)
        const { status } = await refusedAlone(url)
        expect(status, url).toBe(400)
      }
    }
    expect(logOf('upload', before)).toHaveLength(0)
  })

  it('let public http(s) hosts through', async ({ expect }) => {
    for (const url of [
      'https://cdn.example.com/a.jpg',
      'http://93.184.216.34/a.mp4',
      'https://[2606:4700::1111]/x.png',
      'https://8.8.8.8:8443/y.webp',
    ]) {
      const { status } = await refusedAlone(url)
      expect(status, url).toBe(200)
    }
  })
})
