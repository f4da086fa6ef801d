import type { DrawContext, FrameSize } from './types.ts'

/** System fonts first, then CJK and emoji fallbacks, so every script and emoji has glyphs. */
export const TITLE_FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", ' +
  '"Microsoft YaHei", "Hiragino Sans GB", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", ' +
  '"Noto Color Emoji"'

/** Share of the shorter side kept clear around titles (the broadcast "title safe" area). */
const SAFE_MARGIN = 0.08
const MAX_LINES = 4

// CJK, kana, hangul and full-width forms break between any two characters; other scripts at spaces.
const TOKEN =
  /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+|\s+/gu

/** Splits `text` into lines no wider than `maxWidth` as measured by `measure`. */
export function wrapText(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split(/\r?\n/)) {
    let line = ''
    for (const token of paragraph.match(TOKEN) ?? []) {
      const next = line + token
      if (!line || measure(next) <= maxWidth) {
        line = next
        if (measure(line) > maxWidth && !/\s/.test(token)) {
          // One word wider than the frame: break it between characters (code points, so emoji
          // and surrogate pairs stay whole).
          const chars = [...line]
          line = ''
          for (const ch of chars) {
            if (line && measure(line + ch) > maxWidth) {
              lines.push(line)
              line = ''
            }
            line += ch
          }
        }
        continue
      }
      lines.push(line.trimEnd())
      line = /\s/.test(token) ? '' : token
    }
    lines.push(line.trimEnd())
  }
  return lines.filter((l, i, all) => l || all.length === 1)
}

/** The font size for a frame: scales with the shorter side so 9:16 and 16:9 read alike. */
export function titleFontSize(size: FrameSize, place: 'middle' | 'bottom'): number {
  const short = Math.min(size.width, size.height)
  return Math.max(10, Math.round(short * (place === 'middle' ? 0.085 : 0.06)))
}

/**
 * Draws a title: white bold text on a soft dark band, wrapped inside the safe margins, shrunk until
 * it fits in a few lines, in the middle (titles) or the lower third (subtitles).
 */
export function drawTitle(
  ctx: DrawContext,
  size: FrameSize,
  text: string,
  place: 'middle' | 'bottom',
  alpha: number,
): void {
  if (alpha <= 0) return
  const margin = Math.min(size.width, size.height) * SAFE_MARGIN
  const maxWidth = size.width - margin * 2
  let fontSize = titleFontSize(size, place)
  let lines: string[] = []
  for (;;) {
    ctx.font = `700 ${fontSize}px ${TITLE_FONT_FAMILY}`
    lines = wrapText(text, maxWidth - fontSize, (s) => ctx.measureText(s).width)
    if (lines.length <= MAX_LINES || fontSize <= 10) break
    fontSize = Math.max(10, Math.floor(fontSize * 0.85))
  }
  if (lines.length > MAX_LINES)
    lines = [...lines.slice(0, MAX_LINES - 1), `${lines[MAX_LINES - 1]}…`]
  const lineHeight = Math.round(fontSize * 1.25)
  const padX = fontSize * 0.5
  const padY = fontSize * 0.3
  const blockHeight = lineHeight * lines.length
  const widest = Math.min(
    maxWidth,
    Math.max(...lines.map((l) => ctx.measureText(l).width)) + padX * 2,
  )
  const top =
    place === 'middle' ? (size.height - blockHeight) / 2 : size.height - margin - blockHeight - padY
  ctx.save()
  ctx.globalAlpha = alpha
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)'
  const x = (size.width - widest) / 2
  roundRect(ctx, x, top - padY, widest, blockHeight + padY * 2, fontSize * 0.3)
  ctx.fill()
  ctx.fillStyle = '#ffffff'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  ctx.shadowColor = 'rgba(0, 0, 0, 0.6)'
  ctx.shadowBlur = fontSize * 0.08
  lines.forEach((line, i) => {
    ctx.fillText(line, size.width / 2, top + lineHeight * (i + 0.5), maxWidth)
  })
  ctx.restore()
}

function roundRect(ctx: DrawContext, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath()
  ctx.moveTo(x + r, y)
  ctx.arcTo(x + w, y, x + w, y + h, r)
  ctx.arcTo(x + w, y + h, x, y + h, r)
  ctx.arcTo(x, y + h, x, y, r)
  ctx.arcTo(x, y, x + w, y, r)
  ctx.closePath()
}
