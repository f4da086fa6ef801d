import app from './app.ts'

export { InstallationKeeper } from './installations/keeper.ts'
export { ProjectSession } from './sessions/project-session.ts'
export { RenderJob } from './exports/render-job.ts'

export default app
