import { browser } from 'wxt/browser'
import { t } from '../utils/i18n.ts'
import type { MenuId } from '../utils/messages.ts'

type Context = ['image'] | ['selection'] | ['page']

const MENUS: ReadonlyArray<{ id: MenuId; title: Parameters<typeof t>[0]; contexts: Context }> = [
  { id: 'add-image', title: 'menu_add_image', contexts: ['image'] },
  { id: 'make-from-image', title: 'menu_make_from_image', contexts: ['image'] },
  { id: 'make-from-text', title: 'menu_make_from_text', contexts: ['selection'] },
  { id: 'pick-images', title: 'menu_pick_images', contexts: ['page'] },
  { id: 'make-from-article', title: 'menu_make_from_article', contexts: ['page'] },
]

/**
 * Creates the context menus. Items persist across restarts and re-creating an id errors, so this
 * runs from `runtime.onInstalled` after clearing whatever an older version left.
 */
export async function createMenus(): Promise<void> {
  await browser.contextMenus.removeAll()
  for (const menu of MENUS) {
    browser.contextMenus.create({ id: menu.id, title: t(menu.title), contexts: menu.contexts })
  }
}
