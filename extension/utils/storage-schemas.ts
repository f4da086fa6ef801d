import { z } from 'zod/mini'
import { ExportJob, SessionId } from '../../shared/api/index.ts'

/** Extension-local shapes kept in `storage.local`; each is parsed on every read. */

export const UiLanguage = z.enum(['auto', 'en', 'zh'])
export type UiLanguage = z.infer<typeof UiLanguage>

export const Settings = z.object({
  /** Overrides the build's worker URL when set. */
  workerUrl: z.optional(z.url({ protocol: /^https?$/ })),
  uiLanguage: z._default(UiLanguage, 'auto'),
})
export type Settings = z.infer<typeof Settings>

/** The installation key is a credential: stored here, sent as a bearer token, never shown. */
export const Installation = z.object({
  installationId: z.string(),
  key: z.string(),
})
export type Installation = z.infer<typeof Installation>

export const TrayImage = z.object({
  kind: z.literal('image'),
  id: z.string(),
  /** The image's resolved URL (http(s), or the original blob:/data: URL when bytes were read). */
  src: z.string(),
  pageUrl: z.string(),
  alt: z._default(z.string(), ''),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
  /** Bytes read locally (blob:, data:, cookie-protected) live in IndexedDB under this key. */
  blobKey: z.optional(z.string()),
  mime: z.optional(z.string()),
})
export type TrayImage = z.infer<typeof TrayImage>

export const TrayText = z.object({
  kind: z.literal('text'),
  id: z.string(),
  text: z.string(),
  pageUrl: z.string(),
  /** The article's title, when the text is an article's script: the project is named after it. */
  title: z.optional(z.string()),
})
export type TrayText = z.infer<typeof TrayText>

export const TrayItem = z.discriminatedUnion('kind', [TrayImage, TrayText])
export type TrayItem = z.infer<typeof TrayItem>

export const Tray = z.object({
  items: z.array(TrayItem),
  /**
   * Ids of big uploads in parts not yet completed, by what they upload (a tray item's id, or a
   * disk file's `file:name:size:lastModified`), so a later try resumes instead of starting over.
   */
  uploads: z.optional(z.record(z.string(), z.string())),
})
export type Tray = z.infer<typeof Tray>

export const Project = z.object({
  sessionId: SessionId,
  title: z.string(),
  createdAt: z.iso.datetime(),
  /** The page the project was made from (an article), kept for the user. */
  sourceUrl: z.optional(z.string()),
})
export type Project = z.infer<typeof Project>

export const Projects = z.object({
  currentSessionId: z.optional(SessionId),
  projects: z.array(Project),
})
export type Projects = z.infer<typeof Projects>

/** A project's chat: the UI's entries (user, reply with its lastSeq, direct answers) and pending send. */
export { ChatHistory } from '../models/chat-history.ts'
export { PendingExports } from '../models/pending-exports.ts'

/** Export jobs the extension follows; `notified` jobs have had their completion notification. */
export const FollowedJobs = z.object({
  jobs: z.array(z.object({ job: ExportJob, notified: z._default(z.boolean(), false) })),
})
export type FollowedJobs = z.infer<typeof FollowedJobs>

/** Notification id -> job id, so a click after the background restarted still finds the job. */
export const NotificationMap = z.object({ map: z.record(z.string(), z.string()) })
export type NotificationMap = z.infer<typeof NotificationMap>

/** A "make video" request from a menu or the picker, for the popup/side panel to pick up. */
export const PendingIntent = z.object({
  kind: z.literal('make_video'),
  /** Tray item ids the intent was made with. */
  itemIds: z.array(z.string()),
  at: z.number(),
})
export type PendingIntent = z.infer<typeof PendingIntent>
