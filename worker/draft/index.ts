/** The backend's short-key draft, its readable timeline and the one-line summary of it. */
export * from '../../shared/draft/timeline.ts'
export * from './draft-schema.ts'
export { normalizeDraft, isExportable } from './normalize.ts'
export { summarizeTimeline } from './summary.ts'
