import type { Env } from '../env.ts'

/** The RenderJob object of a job id (one object per job). */
export function jobStub(env: Env, jobId: string) {
  return env.RENDER_JOB.get(env.RENDER_JOB.idFromName(jobId))
}
