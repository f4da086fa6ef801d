import { describe, expect, it } from 'vitest'
import { safeFileName } from '../../../extension/utils/file-name.ts'
import {
  decodeDataUrl,
  imageSourceKind,
  isPrivateHost,
} from '../../../extension/utils/image-source.ts'

describe('safeFileName', () => {
  it('keeps a plain name and forces .mp4', () => {
    expect(safeFileName('Harbour 16x9.mp4')).toBe('Harbour 16x9.mp4')
    expect(safeFileName('Harbour')).toBe('Harbour.mp4')
  })

  it('never yields a path, a reserved name or an empty name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc passwd.mp4')
    expect(safeFileName('C:\\Users\\x\\clip.mp4')).toBe('C Users x clip.mp4')
    expect(safeFileName('a<b>c:d"e|f?g*h')).toBe('a b c d e f g h.mp4')
    expect(safeFileName('CON')).toBe('pagereel-video.mp4')
    expect(safeFileName('...')).toBe('pagereel-video.mp4')
    expect(safeFileName(undefined)).toBe('pagereel-video.mp4')
    expect(safeFileName('x'.repeat(300)).length).toBeLessThanOrEqual(124)
  })
})

describe('image sources', () => {
  it('tells the worker-reachable URLs from the ones the extension must read', () => {
    expect(imageSourceKind('https://cdn.test/a.jpg')).toBe('public')
    expect(imageSourceKind('data:image/png;base64,AAAA')).toBe('data')
    expect(imageSourceKind('blob:https://a.test/1')).toBe('blob')
    expect(imageSourceKind('http://192.168.0.4/cam.jpg')).toBe('private')
    expect(imageSourceKind('http://localhost:3000/a.png')).toBe('private')
    expect(imageSourceKind('http://[::1]/a.png')).toBe('private')
    expect(imageSourceKind('file:///home/a.png')).toBe('unsupported')
  })

  it('knows private hosts without calling public ones private', () => {
    expect(isPrivateHost('10.1.2.3')).toBe(true)
    expect(isPrivateHost('172.20.0.1')).toBe(true)
    expect(isPrivateHost('172.32.0.1')).toBe(false)
    expect(isPrivateHost('fcbarcelona.com')).toBe(false)
    expect(isPrivateHost('intranet')).toBe(true)
  })

  it('decodes base64 and percent-encoded data: URLs', async () => {
    const png = decodeDataUrl('data:image/png;base64,iVBORw0KGgo=')!
    expect(png.type).toBe('image/png')
    expect([...new Uint8Array(await png.arrayBuffer())]).toEqual([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ])
    expect(await decodeDataUrl('data:image/svg+xml,%3Csvg%2F%3E')!.text()).toBe('<svg/>')
    expect(decodeDataUrl('data:image/png;base64,@@@')).toBeUndefined()
  })
})
