import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import en from '../../../extension/public/_locales/en/messages.json'
import zhCN from '../../../extension/public/_locales/zh_CN/messages.json'

// Tests run from the repository root (npm scripts, vitest's root).
const extension = join(process.cwd(), 'extension')
type Entry = { message: string; placeholders?: Record<string, { content: string }> }
const uiKeys = (bundle: Record<string, Entry>) =>
  Object.keys(bundle)
    .filter((k) => k.startsWith('ui_'))
    .sort()

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sources(join(dir, d.name))
      : /\.tsx?$/.test(d.name)
        ? [join(dir, d.name)]
        : [],
  )
}

describe('ui_ locale keys', () => {
  it('are the same set in en and zh_CN, with the same placeholders', () => {
    expect(uiKeys(zhCN)).toEqual(uiKeys(en))
    for (const key of uiKeys(en)) {
      const a = (en as Record<string, Entry>)[key]!
      const b = (zhCN as Record<string, Entry>)[key]!
      expect(Object.keys(b.placeholders ?? {}).sort(), key).toEqual(
        Object.keys(a.placeholders ?? {}).sort(),
      )
      for (const name of a.message.match(/\$[A-Z_]+\$/g) ?? [])
        expect(b.message, key).toContain(name)
    }
  })

  it('cover every ui_ key the components and models use, and none is unused', () => {
    const used = new Set(
      [
        ...sources(join(extension, 'app')),
        ...sources(join(extension, 'components')),
        ...sources(join(extension, 'models')),
      ].flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/'(ui_[a-z0-9_]+)'/g)].map((m) => m[1]!),
      ),
    )
    expect([...used].sort()).toEqual(uiKeys(en))
  })
})
