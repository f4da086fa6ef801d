/** The worker's public API: every request, response and stream shape, in one place. */
export * from './installations.ts'
export * from './sessions.ts'
export * from './chat-events.ts'
export * from './uploads.ts'
export * from './credits.ts'
export * from './state.ts'
export * from './exports.ts'
export * from '../errors/codes.ts'
export * from '../draft/timeline.ts'
export * from './routes.ts'

/** Paths of the worker's API, versioned. */
export const API_PREFIX = '/v1'
