/**
 * Frames compared as grids of mean colour: enough to tell two frames apart, or a picture from a
 * flat fill, without caring about a pixel's exact value. Used in the page (test/preview) and in
 * Node on pixels read out of a page (the browser suites).
 */

/** Mean R, G, B of each cell of a cols × rows grid over RGBA pixels, row by row; `step` samples. */
export function meanGrid(
  data: ArrayLike<number>,
  width: number,
  height: number,
  cols: number,
  rows: number,
  step = 1,
): number[] {
  const out: number[] = []
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const sum = [0, 0, 0]
      let n = 0
      for (
        let y = Math.floor((r * height) / rows);
        y < Math.floor(((r + 1) * height) / rows);
        y += step
      )
        for (
          let x = Math.floor((c * width) / cols);
          x < Math.floor(((c + 1) * width) / cols);
          x += step
        ) {
          const i = (y * width + x) * 4
          sum[0]! += data[i]!
          sum[1]! += data[i + 1]!
          sum[2]! += data[i + 2]!
          n++
        }
      out.push(...sum.map((v) => v / Math.max(1, n)))
    }
  return out
}

/** The mean absolute difference of two grids. */
export const meanDiff = (a: number[], b: number[]) =>
  a.reduce((s, v, i) => s + Math.abs(v - (b[i] ?? 0)), 0) / a.length
