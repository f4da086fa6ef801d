import { z } from 'zod'

/** A readable timeline, normalised from the backend's short-key draft (`t`/`tt`/`sg`/`d`/`m`). */
export const TrackKind = z.enum(['video', 'audio', 'text', 'other'])
export type TrackKind = z.infer<typeof TrackKind>

export const TimelineSegment = z.object({
  /** What the segment shows or plays: a title's text, a clip's or song's name. */
  label: z.string(),
  startMs: z.number().check(z.nonnegative()),
  endMs: z.number().check(z.nonnegative()),
  /** Audio volume as a percentage (0-100+), when the draft says. */
  volumePercent: z.optional(z.number().check(z.nonnegative())),
  /** Source media, when the draft names one. */
  sourceUrl: z.optional(z.string()),
  /** A text segment's words as drawn on screen (`label` may be a name when both exist). */
  text: z.optional(z.string()),
  /** What the source is, from the draft or the source's file type: how the preview draws it. */
  mediaKind: z.optional(z.enum(['image', 'video', 'audio'])),
  /** Where in the source media the segment starts (a trimmed clip), in ms. */
  sourceStartMs: z.optional(z.number().check(z.nonnegative())),
  /** Fades the draft asks for, in ms; the preview uses a short default between clips otherwise. */
  fadeInMs: z.optional(z.number().check(z.nonnegative())),
  fadeOutMs: z.optional(z.number().check(z.nonnegative())),
})
export type TimelineSegment = z.infer<typeof TimelineSegment>

export const TimelineTrack = z.object({
  kind: TrackKind,
  /** The raw `tt` code (0 video, 1 audio, 7 text, others unknown). */
  typeCode: z.number().check(z.int()),
  /** The track's name in a summary: "Video", "BGM", "Audio", "Title", "Text"... */
  label: z.string(),
  segments: z.array(TimelineSegment),
})
export type TimelineTrack = z.infer<typeof TimelineTrack>

export const Timeline = z.object({
  title: z.optional(z.string()),
  width: z.optional(z.number().check(z.int(), z.positive())),
  height: z.optional(z.number().check(z.int(), z.positive())),
  durationMs: z.number().check(z.nonnegative()),
  tracks: z.array(TimelineTrack),
})
export type Timeline = z.infer<typeof Timeline>
