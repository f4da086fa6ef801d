import app from './app.ts'

export { InstallationKeeper } from './installations/keeper.ts'
export { InstallationRegistry } from './installations/registry.ts'
export { ProjectSession } from './sessions/project-session.ts'
export { RenderJob } from './exports/render-job.ts'
export { LargeUpload } from './uploads/large-upload.ts'

export default app
