import { z } from 'zod/mini'
import { ProjectState } from '../../shared/api/state.ts'
import { defineParsedItem } from './parsed-item.ts'

/** Drafts kept for this many projects, most recently read first. */
const KEEP = 8

const LastStates = z.object({
  states: z.array(z.object({ sessionId: z.string(), state: ProjectState })),
})

/**
 * The last draft read per project, so a returning user's popup shows its timeline and preview at
 * once while the worker is asked again behind it. Part of the popup's first paint (a few hundred
 * bytes): as a lazy chunk, its import delayed the preview's first frame by tens of ms.
 */
const lastStatesItem = defineParsedItem('local:last-states', LastStates, { states: [] })

/** Every project's last draft, most recently read first. */
export async function keptStates(): Promise<Array<{ sessionId: string; state: ProjectState }>> {
  return (await lastStatesItem.getValue()).states
}

/** Keeps `state` as the project's last draft; the oldest project's goes past `KEEP`. */
export async function rememberState(sessionId: string, state: ProjectState): Promise<void> {
  // A renewal notice is news once: a later open must not announce it again.
  const { notice: _, ...kept } = state
  await lastStatesItem.update(({ states }) => ({
    states: [{ sessionId, state: kept }, ...states.filter((s) => s.sessionId !== sessionId)].slice(
      0,
      KEEP,
    ),
  }))
}
