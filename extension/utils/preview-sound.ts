import { z } from 'zod/mini'
import { defineParsedItem } from './parsed-item.ts'

/** How loud the preview plays, chosen in the player and kept for the next time it opens. */
export const PreviewSound = z.object({
  muted: z._default(z.boolean(), false),
  /** 0-1, applied when not muted. */
  volume: z._default(z.number().check(z.gte(0), z.lte(1)), 1),
})
export type PreviewSound = z.infer<typeof PreviewSound>

/**
 * The preview's mute and volume, shared by the popup and the side panel. Its own module, loaded
 * after the popup's first paint (issue 14's budget): the player needs it only once it plays.
 */
export const previewSoundItem = defineParsedItem('local:preview-sound', PreviewSound, {
  muted: false,
  volume: 1,
})
