// Runs inside the test page (bundled by ./page.ts): the preview's real modules plus small helpers
// the tests call through page.evaluate.
import type { Timeline } from '../../shared/draft/timeline.ts'
import {
  createCompositor,
  createAudioMixer,
  createMediaLibrary,
  mixTimelineAudio,
  MediaFetchError,
  type MediaFailure,
} from '../../extension/preview/index.ts'
import { meanGrid } from '../lib/mean-grid.ts'

declare global {
  interface Window {
    loadMedia(base64: Record<string, string>): Promise<void>
    renderFrames(
      timeline: Timeline,
      size: { width: number; height: number },
      times: number[],
      points: Array<[number, number]>,
    ): Promise<{ samples: number[][][]; failures: MediaFailure[]; white: number[][] }>
    /** Media by URL, for timelines that name real URLs (the browser suite's simulator media). */
    setMedia(entries: Array<[string, string, string]>): void
    /** The frame at `t` as a grid of mean colours (see `meanGrid`). */
    frameGrid(
      timeline: Timeline,
      size: { width: number; height: number },
      t: number,
      cols: number,
      rows: number,
    ): Promise<number[]>
    mixLevels(
      timeline: Timeline,
      windows: Array<[number, number]>,
    ): Promise<{ sampleRate: number; channels: number; rms: number[] }>
    /** The mix at once against the same mix rendered `windowMs` at a time and laid end to end. */
    mixInWindows(
      timeline: Timeline,
      windowMs: number,
      blockMs: number,
    ): Promise<{
      length: number
      windowedLength: number
      /** Largest sample difference anywhere, and within 5 ms of each seam. */
      maxDiff: number
      seamDiffs: number[]
      /** RMS of each `blockMs` block of the windowed mix (channel 0). */
      blocks: number[]
    }>
  }
}

const blobs = new Map<string, Blob>()
const TYPES: Record<string, string> = { jpg: 'image/jpeg', mp3: 'audio/mpeg', mp4: 'video/mp4' }

/** Solid pictures of known colours and shapes: `https://media.test/<colour>-<w>x<h>.png`. */
async function solid(color: string, width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d')!
  ctx.fillStyle = color
  ctx.fillRect(0, 0, width, height)
  return canvas.convertToBlob({ type: 'image/png' })
}

window.loadMedia = async (base64) => {
  for (const [name, b64] of Object.entries(base64)) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    blobs.set(
      `https://media.test/${name}`,
      new Blob([bytes], { type: TYPES[name.split('.').pop()!] }),
    )
  }
  for (const [name, color] of [
    ['red', '#ff0000'],
    ['green', '#00ff00'],
    ['blue', '#0000ff'],
  ])
    blobs.set(`https://media.test/${name}-wide.png`, await solid(color!, 640, 360))
}

const library = () =>
  createMediaLibrary(async (url) => {
    const blob = blobs.get(url)
    if (!blob) throw new MediaFetchError('not_found')
    return blob
  })

window.renderFrames = async (timeline, size, times, points) => {
  const media = library()
  const compositor = createCompositor(timeline, media, size, {
    describeFailure: (f) => `Missing (${f.reason})`,
  })
  const canvas = document.createElement('canvas')
  canvas.width = size.width
  canvas.height = size.height
  document.body.append(canvas)
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!
  const samples: number[][][] = []
  const white: number[][] = []
  for (const t of times) {
    await compositor.prepare(t, { exact: true })
    compositor.draw(ctx, t)
    samples.push(points.map(([x, y]) => [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)]))
    // Where near-white pixels are (titles): [count, minX, maxX, minY, maxY].
    const { data } = ctx.getImageData(0, 0, size.width, size.height)
    let count = 0
    let minX = Infinity
    let maxX = -1
    let minY = Infinity
    let maxY = -1
    for (let i = 0; i < data.length; i += 4) {
      if (data[i]! > 235 && data[i + 1]! > 235 && data[i + 2]! > 235) {
        const p = i / 4
        const x = p % size.width
        const y = Math.floor(p / size.width)
        count++
        minX = Math.min(minX, x)
        maxX = Math.max(maxX, x)
        minY = Math.min(minY, y)
        maxY = Math.max(maxY, y)
      }
    }
    white.push([count, minX, maxX, minY, maxY])
  }
  const failures = media.failures()
  canvas.remove()
  media.dispose()
  return { samples, failures, white }
}

window.mixLevels = async (timeline, windows) => {
  const media = library()
  const mixed = await mixTimelineAudio(timeline, media, { sampleRate: 22_050 })
  const ch = mixed.channels[0]!
  const rms = windows.map(([from, to]) => {
    const a = Math.floor((from / 1000) * mixed.sampleRate)
    const b = Math.floor((to / 1000) * mixed.sampleRate)
    let sum = 0
    for (let i = a; i < b; i++) sum += ch[i]! ** 2
    return Math.sqrt(sum / Math.max(1, b - a))
  })
  media.dispose()
  return { sampleRate: mixed.sampleRate, channels: mixed.channels.length, rms }
}

window.mixInWindows = async (timeline, windowMs, blockMs) => {
  const media = library()
  const sampleRate = 48_000
  const whole = await mixTimelineAudio(timeline, media, { sampleRate })
  const mixer = await createAudioMixer(timeline, media, { sampleRate })
  const step = Math.round((windowMs / 1000) * sampleRate)
  const parts: Float32Array[][] = []
  for (let from = 0; from < mixer.length; from += step) parts.push(await mixer.render(from, step))
  const joined = whole.channels.map((_, c) => {
    const out = new Float32Array(parts.reduce((n, p) => n + p[c]!.length, 0))
    let at = 0
    for (const p of parts) {
      out.set(p[c]!, at)
      at += p[c]!.length
    }
    return out
  })
  const diffIn = (a: number, b: number) => {
    let max = 0
    for (let c = 0; c < whole.channels.length; c++)
      for (let i = Math.max(0, a); i < Math.min(b, joined[c]!.length); i++)
        max = Math.max(max, Math.abs(whole.channels[c]![i]! - joined[c]![i]!))
    return max
  }
  const near = Math.round(0.005 * sampleRate)
  const seamDiffs: number[] = []
  for (let s = step; s < mixer.length; s += step) seamDiffs.push(diffIn(s - near, s + near))
  const block = Math.round((blockMs / 1000) * sampleRate)
  const blocks: number[] = []
  for (let a = 0; a + block <= joined[0]!.length; a += block) {
    let sum = 0
    for (let i = a; i < a + block; i++) sum += joined[0]![i]! ** 2
    blocks.push(Math.sqrt(sum / block))
  }
  media.dispose()
  return {
    length: whole.channels[0]!.length,
    windowedLength: joined[0]!.length,
    maxDiff: diffIn(0, whole.channels[0]!.length),
    seamDiffs,
    blocks,
  }
}

window.setMedia = (entries) => {
  for (const [url, b64, type] of entries)
    blobs.set(url, new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type }))
}

window.frameGrid = async (timeline, size, t, cols, rows) => {
  const media = library()
  const compositor = createCompositor(timeline, media, size)
  const canvas = document.createElement('canvas')
  canvas.width = size.width
  canvas.height = size.height
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!
  await compositor.prepare(t, { exact: true })
  compositor.draw(ctx, t)
  const grid = meanGrid(
    ctx.getImageData(0, 0, size.width, size.height).data,
    size.width,
    size.height,
    cols,
    rows,
  )
  media.dispose()
  return grid
}
