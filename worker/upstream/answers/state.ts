import { z } from 'zod'
import { looseNumber } from './envelope.ts'

const CanvasConfig = z.looseObject({
  width: looseNumber,
  height: looseNumber,
  ratio: z.string().optional().catch(undefined),
})

/**
 * `data` of `GET /api/state/nemo_agent/me/<sid>/latest`: `state.draft` (short keys, read by
 * shared/draft), `state.canvas_config`, and the ids next to it. The draft stays `unknown` here.
 */
export const StateData = z
  .looseObject({
    state: z
      .looseObject({
        draft: z.unknown().optional(),
        canvas_config: CanvasConfig.optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
    user_id: z.string().optional().catch(undefined),
  })
  .transform((d) => {
    const c = d.state?.canvas_config
    return {
      draft: d.state?.draft ?? null,
      canvas:
        c && c.width !== undefined && c.height !== undefined
          ? { width: c.width, height: c.height, ...(c.ratio ? { ratio: c.ratio } : {}) }
          : undefined,
      userId: d.user_id,
    }
  })
export type StateData = z.infer<typeof StateData>
