import { z } from 'zod'

/** Formats the backend accepts (contract page, "Media"). */
export const VIDEO_FORMATS = ['mp4', 'mov', 'avi', 'webm', 'mkv'] as const
export const IMAGE_FORMATS = ['jpg', 'jpeg', 'png', 'gif', 'webp'] as const
export const AUDIO_FORMATS = ['mp3', 'wav', 'm4a', 'aac'] as const
export const MEDIA_FORMATS = [...VIDEO_FORMATS, ...IMAGE_FORMATS, ...AUDIO_FORMATS] as const
export type MediaFormat = (typeof MEDIA_FORMATS)[number]

/** The backend's own per-file limit (seed: "Max file size is 500MB"). */
export const BACKEND_MAX_FILE_BYTES = 500 * 1024 * 1024

/**
 * Default for the worker's own request-body limit: Cloudflare's Free and Pro plans refuse bodies
 * over 100 MB before the worker sees them.
 */
export const DEFAULT_WORKER_UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024

export const MediaKind = z.enum(['video', 'image', 'audio'])
export type MediaKind = z.infer<typeof MediaKind>

/** Extension of a file name or URL path, lower-cased, or undefined. */
export function extensionOf(nameOrUrl: string): string | undefined {
  const path = nameOrUrl.split(/[?#]/, 1)[0] ?? ''
  const dot = path.lastIndexOf('.')
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined
  return path.slice(dot + 1).toLowerCase() || undefined
}

/** The supported format of a file name, or undefined if the backend would refuse it (4001). */
export function mediaFormatOf(name: string): MediaFormat | undefined {
  const ext = extensionOf(name)
  return (MEDIA_FORMATS as readonly string[]).includes(ext ?? '') ? (ext as MediaFormat) : undefined
}

export function mediaKindOf(format: MediaFormat): MediaKind {
  if ((VIDEO_FORMATS as readonly string[]).includes(format)) return 'video'
  if ((AUDIO_FORMATS as readonly string[]).includes(format)) return 'audio'
  return 'image'
}

/** MIME types that map to a supported format, for uploads whose name has no extension. */
export const MIME_TO_FORMAT: Readonly<Record<string, MediaFormat>> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-msvideo': 'avi',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
}
