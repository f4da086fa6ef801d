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
    tt: z.union([z.number(), z.string()]).optional().catch(undefined),
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
 * list is tried in order and the first usable value wins, first in the segment itself, then in its
 * `m` (the seed: "`m` for metadata"; also `meta`, `metadata`). Dotted keys reach into objects
 * (`trim.start`). Assumptions:
 * - times are in milliseconds, like the draft's `d`; a segment gives a start and either an end or
 *   a duration, possibly nested in a time-range object (`RANGE`); missing times are sequential;
 * - a text segment's label is its text, a media segment's its name, else its source's file name;
 * - volume is a fraction when 0..1 (1 = 100%), a percentage above 1 ("35%" too);
 * - media kind: an explicit key, else the track (audio), else the source's file extension, else
 *   the track (video); text segments have none.
 */
export const SEGMENT_KEYS = {
  start: [
    'st',
    's',
    'start',
    'startMs',
    'start_ms',
    'start_time',
    'startTime',
    'from',
    'at',
    'offset_ms',
  ],
  end: ['et', 'e', 'end', 'endMs', 'end_ms', 'end_time', 'endTime', 'to'],
  duration: ['d', 'dur', 'duration', 'durationMs', 'duration_ms', 'len', 'length'],
  /** Nested `{ start, duration }`-like objects, read with the keys above. */
  range: ['tr', 'range', 'timerange', 'time_range', 'target_timerange', 'timeRange', 'timing'],
  text: ['text', 'txt', 'tx', 'content', 'caption', 'words', 'subtitle'],
  name: [
    'n',
    'name',
    'label',
    'title',
    'nm',
    'file_name',
    'filename',
    'fileName',
    'song',
    'display_name',
  ],
  volume: ['v', 'vol', 'volume', 'vl', 'gain', 'audio.volume'],
  source: [
    'src',
    'url',
    'u',
    'cdn_url',
    'cdnUrl',
    'source',
    'source_url',
    'sourceUrl',
    'media_url',
    'mediaUrl',
    'file_url',
    'fileUrl',
    'path',
    'file',
    'f',
    'src.url',
    'source.url',
    'media.url',
    'file.url',
    'asset.url',
  ],
  kind: [
    'kind',
    'type',
    'media_type',
    'mediaType',
    'file_type',
    'fileType',
    'mt',
    'mime',
    'mime_type',
    'media.type',
  ],
  /** Where the segment starts in its source (a trimmed clip). */
  sourceStart: [
    'ss',
    'in',
    'in_point',
    'inPoint',
    'trim_start',
    'trimStart',
    'trim.start',
    'trim.in',
    'source_start',
    'sourceStart',
    'source_start_ms',
    'sourceStartMs',
    'src_start',
    'source_in',
    'source_timerange.start',
    'sourceTimerange.start',
    'source_range.start',
    'clip_start',
    'media_start',
    'seek',
  ],
  fadeIn: [
    'fi',
    'fade_in',
    'fadeIn',
    'fade_in_ms',
    'fadeInMs',
    'fade.in',
    'fades.in',
    'fade_in_duration',
    'transition_in.duration',
  ],
  fadeOut: [
    'fo',
    'fade_out',
    'fadeOut',
    'fade_out_ms',
    'fadeOutMs',
    'fade.out',
    'fades.out',
    'fade_out_duration',
    'transition_out.duration',
  ],
  /** Where a segment keeps its metadata. */
  meta: ['m', 'meta', 'metadata'],
} as const

/** Where a track may name its type when `tt` is not a number ("video", "audio", "text"). */
export const TRACK_TYPE_KEYS = ['tt', 'type', 'track_type', 'trackType', 'kind'] as const
