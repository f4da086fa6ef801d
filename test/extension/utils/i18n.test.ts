import { beforeEach, describe, expect, it } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import en from '../../../extension/public/_locales/en/messages.json'
import zhCN from '../../../extension/public/_locales/zh_CN/messages.json'
import { formatMessage, setUiLanguage, t } from '../../../extension/utils/i18n.ts'

type Entry = { message: string; placeholders?: Record<string, { content: string }> }

describe('_locales', () => {
  it('has the same keys in en and zh_CN', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort())
  })

  it('declares every $PLACEHOLDER$ it uses, with the same placeholders in both languages', () => {
    for (const [key, entry] of Object.entries(en as Record<string, Entry>)) {
      const zh = (zhCN as Record<string, Entry>)[key]!
      for (const e of [entry, zh]) {
        for (const [, name] of e.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)) {
          expect(e.placeholders?.[name!.toLowerCase()], `${key}: ${name}`).toBeDefined()
        }
      }
      expect(Object.keys(zh.placeholders ?? {}).sort(), key).toEqual(
        Object.keys(entry.placeholders ?? {}).sort(),
      )
    }
  })

  it('has no empty messages', () => {
    for (const bundle of [en, zhCN] as Record<string, Entry>[]) {
      for (const [key, e] of Object.entries(bundle)) expect(e.message.trim(), key).not.toBe('')
    }
  })
})

describe('t', () => {
  beforeEach(() => {
    fakeBrowser.reset()
    setUiLanguage('auto')
  })

  it('fills placeholders from the bundled messages where the i18n API is missing', () => {
    expect(t('picker_count', [3])).toBe('3 selected')
    expect(t('notif_ready_message', ['16:9', 'clip.mp4'])).toBe('16:9 · clip.mp4')
  })

  it('follows the language chosen in the options', () => {
    setUiLanguage('zh')
    expect(t('picker_count', [2])).toBe('已选 2 张')
    setUiLanguage('en')
    expect(t('menu_add_image')).toBe('Add to video')
  })

  it('keeps $$ as a literal dollar', () => {
    expect(
      formatMessage({ message: 'Costs $$5 for $WHO$', placeholders: { who: { content: '$1' } } }, [
        'you',
      ]),
    ).toBe('Costs $5 for you')
  })
})
