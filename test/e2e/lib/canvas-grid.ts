import type { Locator } from 'playwright-core'
import { meanGrid } from '../../lib/mean-grid.ts'

/** A canvas in the page as a cols × rows grid of mean colours (its pixels read out, averaged here). */
export async function canvasGrid(
  canvas: Locator,
  cols: number,
  rows: number,
  step = 1,
): Promise<number[]> {
  const { width, height, base64 } = await canvas.evaluate((el: HTMLCanvasElement) => {
    const { width, height } = el
    const pixels = el.getContext('2d')!.getImageData(0, 0, width, height).data
    // Base64 crosses to Node far lighter than an array of numbers.
    let binary = ''
    for (let i = 0; i < pixels.length; i += 0x8000)
      binary += String.fromCharCode(...pixels.subarray(i, i + 0x8000))
    return { width, height, base64: btoa(binary) }
  })
  return meanGrid(Buffer.from(base64, 'base64'), width, height, cols, rows, step)
}
