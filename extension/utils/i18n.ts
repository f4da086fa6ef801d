import { computed, effect, signal, untracked, type ReadonlySignal } from '@preact/signals'
import { browser } from 'wxt/browser'
import type { Lang } from '../../shared/i18n/index.ts'
import type en from '../public/_locales/en/messages.json'
import { settingsItem, type UiLanguage } from './storage.ts'

/** Every key of `_locales/en/messages.json`; zh_CN has the same set (a test checks). */
export type MessageKey = keyof typeof en

interface LocaleEntry {
  message: string
  placeholders?: Record<string, { content: string }>
}
type Bundle = Record<string, LocaleEntry>

/**
 * The bundled messages, loaded when a language other than the browser's is chosen (or where the
 * browser has no i18n API): with the default choice the browser's own `_locales` answer, so a
 * popup's first paint carries no copy of them (issue 14's budget).
 */
const bundles = signal<Partial<Record<Lang, Bundle>>>({}, { name: 'i18n.bundles' })
const LOADERS: Record<Lang, () => Promise<{ default: Bundle }>> = {
  en: () => import('../public/_locales/en/messages.json'),
  zh: () => import('../public/_locales/zh_CN/messages.json'),
}
const loading = new Map<Lang, Promise<void>>()

/** Loads a language's bundled messages once; `t()` re-renders with them when they arrive. */
export function loadMessages(lang: Lang): Promise<void> {
  let pending = loading.get(lang)
  if (!pending) {
    pending = LOADERS[lang]().then((m) => {
      bundles.value = { ...bundles.peek(), [lang]: m.default }
    })
    pending.catch(() => loading.delete(lang))
    loading.set(lang, pending)
  }
  return pending
}

/**
 * The UI language as a model: `choice` is the user's setting ('auto' follows the browser), `lang`
 * the language shown. Every `t()` reads `lang`, so a component re-renders by itself when it
 * changes (signals track what a render reads): no listeners, no remount.
 */
export interface UiLanguageModel {
  readonly choice: ReadonlySignal<UiLanguage>
  readonly lang: ReadonlySignal<Lang>
  set(choice: UiLanguage): void
}

function createUiLanguage(): UiLanguageModel {
  const choice = signal<UiLanguage>('auto', { name: 'i18n.choice' })
  const lang = computed(() => (choice.value === 'auto' ? browserLang() : choice.value))
  return {
    choice,
    lang,
    set: (next) => void (choice.value = next),
  }
}

/** The one UI language of this extension page (popup, side panel, options, background). */
export const uiLanguage: UiLanguageModel = createUiLanguage()

/**
 * The message for `key` in the UI language: the user's choice from the options page when set,
 * otherwise the browser's (`i18n.getMessage`), falling back to the bundled English where the API
 * is missing or has no such key (tests, a stale locale).
 * @example t('picker_count', [3]) // '3 selected'
 */
export function t(key: MessageKey, subs: ReadonlyArray<string | number> = []): string {
  const strings = subs.map(String)
  const lang = uiLanguage.lang.value
  const loaded = bundles.value
  const chosen = loaded[lang]
  // The browser's messages serve the default choice, and any choice until its bundle is loaded.
  if (uiLanguage.choice.value === 'auto' || !chosen) {
    try {
      // Typed loosely: the generated key list lags behind keys another engineer just added.
      const getMessage = browser.i18n.getMessage as (name: string, subs?: string[]) => string
      const native = getMessage(key, strings)
      if (native) return native
    } catch {
      // No i18n API here (unit tests): use the bundled messages.
    }
  }
  const entry = chosen?.[key] ?? loaded.en?.[key]
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

/** The language the UI shows (read inside a render or an effect, it is tracked). */
export function currentLang(): Lang {
  return uiLanguage.lang.value
}

/** The browser's UI language as one the extension speaks. */
function browserLang(): Lang {
  let ui = 'en'
  try {
    ui = browser.i18n.getUILanguage()
  } catch {
    ui = globalThis.navigator?.language ?? 'en'
  }
  return ui.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

/** Switches the UI language ('auto' follows the browser), loading a chosen one's messages. */
export function setUiLanguage(lang: UiLanguage): void {
  uiLanguage.set(lang)
  if (lang !== 'auto') void loadMessages(lang).catch(() => undefined)
}

/**
 * Calls `cb` on each later change of the shown language, for what is not a render (the
 * background's menus); components need nothing: `t()` is tracked. Returns the unsubscribe.
 */
export function onLanguageChange(cb: (lang: Lang) => void): () => void {
  let first = true
  return effect(() => {
    const lang = uiLanguage.lang.value
    if (first) first = false
    else untracked(() => cb(lang))
  })
}
/**
 * Loads the language setting and follows its changes; call once per extension page. Resolves
 * once the stored choice is applied; the returned function stops following.
 */
export async function initI18n(): Promise<() => void> {
  const { uiLanguage: choice } = await settingsItem.getValue()
  setUiLanguage(choice)
  // A chosen language is on screen from the first paint.
  if (choice !== 'auto') await loadMessages(choice).catch(() => undefined)
  return settingsItem.watch((s) => setUiLanguage(s.uiLanguage))
}
