import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { boundaryOf, readMultipart, type PartInfo } from './multipart.ts'

const encoder = new TextEncoder()

function body(
  boundary: string,
  parts: Array<{ name: string; filename?: string; content: Uint8Array }>,
): Uint8Array {
  const pieces: Uint8Array[] = [encoder.encode('preamble to ignore\r\n')]
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`
    pieces.push(
      encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`,
      ),
    )
    pieces.push(part.content, encoder.encode('\r\n'))
  }
  pieces.push(encoder.encode(`--${boundary}--\r\n`))
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of pieces) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function chunked(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    if (p > from) pieces.push(bytes.slice(from, p))
    from = Math.max(from, p)
  }
  return new ReadableStream({
    pull(c) {
      const next = pieces.shift()
      if (next) c.enqueue(next)
      else c.close()
    },
  })
}

async function collect(stream: ReadableStream<Uint8Array>, boundary: string) {
  const parts: Array<PartInfo & { bytes: number[] }> = []
  let total = 0
  const result = await readMultipart<never>(stream, boundary, {
    part: (info) => void parts.push({ ...info, bytes: [] }),
    data: (bytes) => void parts.at(-1)?.bytes.push(...bytes),
    end: () => undefined,
    progress: (n) => {
      total = n
    },
  })
  return { parts, total, result }
}

describe('streaming multipart parser', () => {
  it('finds the boundary of a quoted or plain content type', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc123')).toBe('abc123')
    expect(boundaryOf('multipart/form-data; boundary="a b"; charset=utf-8')).toBe('a b')
  })

  it('gives the same parts whatever the chunking, even with boundary-like bytes in files', async () => {
    const boundary = '----WebKitFormBoundaryX1'
    const content = fc.uint8Array({ maxLength: 200 }).map((a) => {
      // Mix in near-boundaries: CRLF and dashes without the full delimiter.
      const tricky = encoder.encode(`\r\n--${boundary.slice(0, 10)}\r\n--`)
      const out = new Uint8Array(a.length + tricky.length)
      out.set(a)
      out.set(tricky, a.length)
      return out
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.constantFrom('files', 'note'),
            filename: fc.option(fc.constantFrom('a.mp4', '视频.mov'), { nil: undefined }),
            content,
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (parts, cuts) => {
          const bytes = body(boundary, parts)
          const { parts: seen, total, result } = await collect(chunked(bytes, cuts), boundary)
          expect(result).toEqual({ complete: true })
          expect(total).toBe(bytes.length)
          expect(seen.map((p) => [p.name, p.filename, p.bytes])).toEqual(
            parts.map((p) => [p.name, p.filename, [...p.content]]),
          )
        },
      ),
      { numRuns: 150 },
    )
  })

  it('stops, cancels the body and hands back what a handler returned', async () => {
    const boundary = 'b0undary'
    let cancelled = false
    const bytes = body(boundary, [
      { name: 'files', filename: 'x.exe', content: new Uint8Array(10) },
    ])
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes)
      },
      cancel() {
        cancelled = true
      },
    })
    const result = await readMultipart(stream, boundary, {
      part: (info) => (info.filename?.endsWith('.exe') ? 'refused' : undefined),
      data: () => undefined,
      end: () => undefined,
      progress: () => {},
    })
    expect(result).toEqual({ stopped: 'refused' })
    expect(cancelled).toBe(true)
  })

  it('reports an unterminated body as incomplete', async () => {
    const bytes = body('zz', [{ name: 'files', filename: 'a.mp4', content: new Uint8Array(5) }])
    const { result } = await collect(chunked(bytes.slice(0, bytes.length - 8), []), 'zz')
    expect(result).toEqual({ complete: false })
  })
})
