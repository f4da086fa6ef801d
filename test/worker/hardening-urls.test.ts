import { beforeAll, describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { ErrorEnvelope } from '../../shared/errors/codes.ts'
import { canonicalPublicUrl } from '../../worker/http/public-url.ts'
import { api, json, logOf, openSession, register } from './helpers.ts'

let key: string
let sessionId: string

beforeAll(async () => {
  ;({ key } = await register())
  sessionId = await openSession(key)
})

const upload = (urls: string[]) => api(paths.uploadUrls(sessionId), json('POST', { urls }), key)

describe('URL uploads: one canonical form (issue 11, item 4)', () => {
  it('forward the form that was checked, not the string as written', async ({ expect }) => {
    const before = logOf('upload').length
    const res = await upload([
      'http://evil.example\\@127.0.0.1/a.png',
      'HTTPS://CDN.Example.com/a b.jpg',
    ])
    expect(res.status).toBe(200)
    const sent = JSON.stringify(
      logOf('upload')
        .slice(before)
        .map((e) => e.body),
    )
    expect(sent).toContain('http://evil.example/@127.0.0.1/a.png')
    expect(sent).toContain('https://cdn.example.com/a%20b.jpg')
    expect(sent).not.toContain('\\\\@')
    expect(sent).not.toContain('CDN.Example')
  })

  it('refuse the special-purpose ranges, and send nothing upstream', async ({ expect }) => {
    const hosts = [
      '198.18.0.1', // benchmarking 198.18/15
      '198.19.255.1',
      '192.0.0.170', // IETF protocol assignments 192.0.0/24
      '192.0.2.1', // documentation
      '198.51.100.7',
      '203.0.113.9',
      '192.88.99.1', // 6to4 relay anycast
      '[2001:db8::1]', // documentation
      '[3fff::1]',
      '[100::1]', // discard-only 100::/64
      '[2001:2::1]', // benchmarking, inside 2001::/23
      '[2001::1]', // Teredo
      '[::ffff:192.0.2.1]',
      '[64:ff9b::c612:1]', // NAT64 of 198.18.0.1
      '[4000::1]', // reserved, outside 2000::/3
      '[::2]',
    ]
    const before = logOf('upload').length
    for (const host of hosts) {
      const res = await upload([`http://${host}/a.png`])
      expect(res.status, host).toBe(400)
      expect(ErrorEnvelope.parse(await res.json()).error.code, host).toBe('url_not_allowed')
    }
    expect(logOf('upload').length).toBe(before)
  })

  it('keep public addresses and names, in canonical form', ({ expect }) => {
    expect(canonicalPublicUrl('https://[2606:4700::1111]/x.png')).toBe(
      'https://[2606:4700::1111]/x.png',
    )
    expect(canonicalPublicUrl('http://93.184.216.34/a.mp4')).toBe('http://93.184.216.34/a.mp4')
    expect(canonicalPublicUrl('http://0x5db8d822/a.mp4')).toBe('http://93.184.216.34/a.mp4')
    expect(canonicalPublicUrl('https://[::ffff:8.8.8.8]/y')).toBe('https://[::ffff:808:808]/y')
    expect(canonicalPublicUrl('http://evil.example\\@127.0.0.1/a.png')).toBe(
      'http://evil.example/@127.0.0.1/a.png',
    )
    expect(canonicalPublicUrl('http://user:pw@cdn.example.com/a.png')).toBeUndefined()
  })
})
