import { z } from 'zod'
import { Timeline } from '../draft/timeline.ts'

export const ProjectState = z.object({
  timeline: Timeline,
  /** "Timeline (3 tracks): 1. Video: … (0-10s) …" */
  summary: z.string(),
  /** Some track has a segment, so a render can start. */
  exportable: z.boolean(),
  canvas: z.optional(
    z.object({ width: z.number(), height: z.number(), ratio: z.optional(z.string()) }),
  ),
  /**
   * `session_renewed`: the backend no longer knew the session (lost, or the worker had to switch
   * to a new backend identity), so this read opened a new, empty one; the summary says so too.
   */
  notice: z.optional(z.enum(['session_renewed'])),
})
export type ProjectState = z.infer<typeof ProjectState>
