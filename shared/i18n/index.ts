/** The two languages every user-facing string in shared/ comes in. */
export type Lang = 'en' | 'zh'

/** One user-facing text in both languages. */
export interface Localized {
  en: string
  zh: string
}

/**
 * Fills `{name}` placeholders from `values`; a placeholder without a value is left as it is, so a
 * test can see that a value was forgotten.
 * @example fillTemplate('Wait {s} s', { s: 30 }) // 'Wait 30 s'
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  )
}

/** Placeholders still present in a text (`{name}`), for tests and assertions. */
export function unfilledPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')
}
