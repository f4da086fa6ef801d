import type { MessageKey } from '../../utils/i18n.ts'

/** The three ways in, each with the menu item a person will see. */
export const WAYS: ReadonlyArray<{
  id: string
  title: MessageKey
  how: MessageKey
  menu: MessageKey
}> = [
  { id: 'image', title: 'welcome_image_title', how: 'welcome_image_how', menu: 'menu_add_image' },
  { id: 'text', title: 'welcome_text_title', how: 'welcome_text_how', menu: 'menu_make_from_text' },
  {
    id: 'page',
    title: 'welcome_page_title',
    how: 'welcome_page_how',
    menu: 'menu_make_from_article',
  },
]
