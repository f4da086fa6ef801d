import { readFileSync } from 'node:fs'
import { join } from 'node:path'

type Catalog = Record<
  string,
  { message: string; placeholders?: Record<string, { content: string }> }
>

/**
 * The extension's own strings (its built `_locales/<locale>/messages.json`), so the tour finds
 * buttons and checks messages by key rather than by copies of the wording.
 */
export class Messages {
  readonly #catalog: Catalog

  /** `locale` is a `_locales` folder name: `en` (the default) or `zh_CN`. */
  constructor(extensionDir: string, locale = 'en') {
    const file = join(extensionDir, '_locales', locale, 'messages.json')
    this.#catalog = JSON.parse(readFileSync(file, 'utf8')) as Catalog
  }

  /** The message with `$1`… filled like `chrome.i18n.getMessage(key, subs)`. */
  text(key: string, subs: ReadonlyArray<string | number> = []): string {
    const entry = this.#catalog[key]
    if (!entry) throw new Error(`no message ${key} in the build's locale`)
    const fill = (s: string) =>
      s.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''))
    return entry.message
      .replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name: string) => {
        const placeholder = entry.placeholders?.[name.toLowerCase()]
        return placeholder ? fill(placeholder.content) : whole
      })
      .replace(/\$\$/g, '$')
  }

  /** A pattern for the message with any value in each placeholder. */
  pattern(key: string): RegExp {
    const marker = '\u0000'
    const text = this.text(
      key,
      Array.from({ length: 9 }, () => marker),
    )
    const escaped = text
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .split(marker)
      .join('.*?')
    return new RegExp(`^${escaped}$`)
  }
}
