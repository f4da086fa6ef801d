import { browser } from 'wxt/browser'
import type { Lang } from '../../shared/i18n/index.ts'
import en from '../public/_locales/en/messages.json'
import zhCN from '../public/_locales/zh_CN/messages.json'
import { settingsItem, type UiLanguage } from './storage.ts'

/** Every key of `_locales/en/messages.json`; zh_CN has the same set (a test checks). */
export type MessageKey = keyof typeof en

interface LocaleEntry {
  message: string
  placeholders?: Record<string, { content: string }>
}
type Bundle = Record<string, LocaleEntry>

const BUNDLES: Record<Lang, Bundle> = { en, zh: zhCN }

let override: Lang | undefined
const listeners = new Set<(lang: Lang) => void>()

/**
 * The message for `key` in the UI language: the user's choice from the options page when set,
 * otherwise the browser's (`i18n.getMessage`), falling back to the bundled English where the API
 * is missing or has no such key (tests, a stale locale).
 * @example t('picker_count', [3]) // '3 selected'
 */
export function t(key: MessageKey, subs: ReadonlyArray<string | number> = []): string {
  const strings = subs.map(String)
  if (!override) {
    try {
      // Typed loosely: the generated key list lags behind keys another engineer just added.
      const getMessage = browser.i18n.getMessage as (name: string, subs?: string[]) => string
      const native = getMessage(key, strings)
      if (native) return native
    } catch {
      // No i18n API here (unit tests): use the bundled messages.
    }
  }
  const entry = BUNDLES[currentLang()][key] ?? BUNDLES.en[key]
  return entry ? formatMessage(entry, strings) : key
}

/** Applies `_locales` placeholder rules: `$NAME$` -> its content (`$1`...) -> the substitution. */
export function formatMessage(entry: LocaleEntry, subs: readonly string[]): string {
  return entry.message
    .replace(
      /\$([A-Za-z0-9_@]+)\$/g,
      (whole, name: string) => entry.placeholders?.[name.toLowerCase()]?.content ?? whole,
    )
    .replace(/\$\$|\$(\d)/g, (whole, n: string | undefined) =>
      n ? (subs[Number(n) - 1] ?? '') : '$',
    )
}

/** The language the UI shows: the user's choice, else the browser's UI language. */
export function currentLang(): Lang {
  if (override) return override
  let ui = 'en'
  try {
    ui = browser.i18n.getUILanguage()
  } catch {
    ui = globalThis.navigator?.language ?? 'en'
  }
  return ui.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

/** Switches the UI language ('auto' follows the browser) and tells the listeners. */
export function setUiLanguage(lang: UiLanguage): void {
  const next = lang === 'auto' ? undefined : lang
  if (next === override) return
  override = next
  for (const cb of listeners) cb(currentLang())
}

export function onLanguageChange(cb: (lang: Lang) => void): () => void {
  listeners.add(cb)
  return () => listeners.delete(cb)
}

/**
 * Loads the language setting and follows its changes; call once per extension page. Resolves
 * once the stored choice is applied; the returned function stops following.
 */
export async function initI18n(): Promise<() => void> {
  setUiLanguage((await settingsItem.getValue()).uiLanguage)
  return settingsItem.watch((s) => setUiLanguage(s.uiLanguage))
}
