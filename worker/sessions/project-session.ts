// Placeholder until the real class lands.
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env.ts'

export class ProjectSession extends DurableObject<Env> {}
