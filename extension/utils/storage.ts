import { z } from 'zod/mini'
import { defineParsedItem } from './parsed-item.ts'
import {
  ChatHistory,
  FollowedJobs,
  Installation,
  NotificationMap,
  PendingExports,
  PendingIntent,
  Projects,
  Settings,
  Tray,
} from './storage-schemas.ts'

export * from './storage-schemas.ts'
export type { ParsedItem } from './parsed-item.ts'

/** Every storage item of the extension, declared once. All live in `storage.local`. */

export const settingsItem = defineParsedItem('local:settings', Settings, { uiLanguage: 'auto' })

/** The installation key; never rendered, never logged. */
export const installationItem = defineParsedItem(
  'local:installation',
  z.nullable(Installation),
  null,
)

export const trayItem = defineParsedItem('local:tray', Tray, { items: [] })

export const projectsItem = defineParsedItem('local:projects', Projects, { projects: [] })

/** Chat history of one project (session), kept across sessions being lost upstream. */
export function chatItem(sessionId: string) {
  return defineParsedItem(`local:chat:${sessionId}`, ChatHistory, { messages: [] })
}

export const jobsItem = defineParsedItem('local:jobs', FollowedJobs, { jobs: [] })

/** Export clicks whose requests were not answered yet: re-sent with the same idempotency keys. */
export const pendingExportsItem = defineParsedItem('local:pending-exports', PendingExports, [])

export const notificationsItem = defineParsedItem('local:notifications', NotificationMap, {
  map: {},
})

export const pendingIntentItem = defineParsedItem(
  'local:pending-intent',
  z.nullable(PendingIntent),
  null,
)

/** Set once registration failed, so the next start (or first API use) tries again. */
export const registrationPendingItem = defineParsedItem(
  'local:registration-pending',
  z.boolean(),
  false,
)
