import { browser } from 'wxt/browser'
import { originPattern } from '../utils/image-source.ts'

/**
 * Asks for access to one origin, for images only readable with the user's cookies. Browsers
 * accept this only during a user action: call it synchronously from the click (a context-menu
 * click in Chrome, a button in the popup or options), never after an `await`.
 */
export function requestOriginAccess(url: string): Promise<boolean> {
  const pattern = originPattern(url)
  if (!pattern) return Promise.resolve(false)
  try {
    return browser.permissions.request({ origins: [pattern] }).catch(() => false)
  } catch {
    return Promise.resolve(false)
  }
}

export async function hasOriginAccess(url: string): Promise<boolean> {
  const pattern = originPattern(url)
  if (!pattern) return false
  try {
    return await browser.permissions.contains({ origins: [pattern] })
  } catch {
    return false
  }
}
