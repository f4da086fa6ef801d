/** Tolerant schemas of the NemoVideo backend's JSON answers (unknown fields pass). */
export * from './envelope.ts'
export * from './auth.ts'
export * from './session.ts'
export * from './credits.ts'
export * from './upload.ts'
export * from './state.ts'
export * from './render.ts'
