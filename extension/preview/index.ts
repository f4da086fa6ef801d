/** The preview: one compositor and one mixer shared by the player and the on-device export. */
export { createCompositor } from './compositor.ts'
export { createAudioMixer, mixTimelineAudio } from './mix-audio.ts'
export { createMediaLibrary, MediaFetchError, type FetchMedia } from './media-library.ts'
export { planTimeline } from './plan.ts'
export type * from './types.ts'
