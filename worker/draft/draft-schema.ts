import { z } from 'zod'

/**
 * The backend's draft (`data.state.draft`), as far as it is documented: `t` tracks, `tt` track type
 * (0 video, 1 audio, 7 text), `sg` segments, `d` duration in ms, `m` metadata (`title`, `width`,
 * `height`). Every field is optional and a field of the wrong type reads as missing (`.catch`), so
 * parsing never fails on a draft shape nobody has seen yet; unknown keys are kept.
 */
export const RawDraftMeta = z
  .object({
    title: z.string().optional().catch(undefined),
    width: z.number().optional().catch(undefined),
    height: z.number().optional().catch(undefined),
  })
  .catchall(z.unknown())

/** A segment: no key is documented, so it is an open record read through `SEGMENT_KEYS`. */
export const RawSegment = z.record(z.string(), z.unknown()).catch({})
export type RawSegment = z.infer<typeof RawSegment>

export const RawTrack = z
  .object({
    tt: z.number().optional().catch(undefined),
    sg: z.array(RawSegment).optional().catch(undefined),
  })
  .catchall(z.unknown())
export type RawTrack = z.infer<typeof RawTrack>

export const RawDraft = z
  .object({
    t: z.array(RawTrack.catch({})).optional().catch(undefined),
    d: z.number().optional().catch(undefined),
    m: RawDraftMeta.optional().catch(undefined),
  })
  .catchall(z.unknown())
export type RawDraft = z.infer<typeof RawDraft>

/** Documented track type codes. */
export const TRACK_TYPE = { video: 0, audio: 1, text: 7 } as const

/**
 * THE ONE PLACE for our assumptions about segment keys, which NemoVideo does not document. Each
 * list is tried in order and the first usable value wins. Assumptions:
 * - times are in milliseconds, like the draft's `d`; a segment gives a start and either an end or
 *   a duration, possibly nested in a time-range object (`RANGE`); missing times are sequential;
 * - a text segment's label is its text, a media segment's its name, else its source's file name;
 * - volume is a fraction when 0..1 (1 = 100%), a percentage above 1.
 */
export const SEGMENT_KEYS = {
  start: ['st', 's', 'start', 'startMs', 'start_time', 'startTime', 'from'],
  end: ['et', 'e', 'end', 'endMs', 'end_time', 'endTime', 'to'],
  duration: ['d', 'dur', 'duration', 'durationMs', 'len', 'length'],
  /** Nested `{ start, duration }`-like objects, read with the keys above. */
  range: ['tr', 'range', 'timerange', 'time_range', 'target_timerange'],
  text: ['text', 'txt', 'tx', 'content', 'caption'],
  name: ['n', 'name', 'label', 'title', 'nm'],
  volume: ['v', 'vol', 'volume', 'vl'],
  source: ['src', 'url', 'u', 'cdn_url', 'cdnUrl', 'path', 'file', 'f'],
} as const
