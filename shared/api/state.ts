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
})
export type ProjectState = z.infer<typeof ProjectState>
