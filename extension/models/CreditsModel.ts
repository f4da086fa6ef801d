import {
  computed,
  createModel,
  signal,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import type { ApiError, Credits, InstallationInfo, TokenKind } from '../../shared/api/index.ts'
import type { WorkerClient } from '../utils/api/index.ts'
import { apiErrorOf } from './errors.ts'

/**
 * What a turn costs, as NemoVideo documents it (contract, "Chat"): generating a clip about 100
 * credits, editing about 50 a session, export free. Shown as an estimate: the backend does not
 * say what a message will cost before it runs.
 */
export const ESTIMATED_COSTS = { generate: 100, edit: 50, export: 0 } as const

/** What the next chat message most likely does: make the first video, or edit it. */
export type TurnKind = 'generate' | 'edit'

export interface CreditsDeps {
  api: Pick<WorkerClient, 'getCredits' | 'getInstallation'>
}

export interface CreditsModel {
  credits: ReadonlySignal<Credits | null>
  /** Anonymous ("Free") or the user's own account; undefined until known. */
  tokenKind: ReadonlySignal<TokenKind | undefined>
  /** Registration link with the anonymous user's bind id, when the worker knows it. */
  registerUrl: ReadonlySignal<string | undefined>
  error: ReadonlySignal<ApiError | null>
  /** Re-reads the balance; resolves with it, rejects with the worker's error. */
  refresh(): Promise<Credits>
  /** Re-reads the installation (token kind, register link). */
  refreshInstallation(): Promise<void>
}

/**
 * The estimate for a turn of `kind` when the known balance is below it (the turn will likely run
 * out), else undefined. A plain function: model methods run untracked, a view must read the
 * balance signal itself to follow it.
 */
export function shortFor(
  credits: Credits | null,
  kind: TurnKind,
): { needed: number; available: number } | undefined {
  const needed = ESTIMATED_COSTS[kind]
  return credits && credits.available < needed
    ? { needed, available: credits.available }
    : undefined
}

/** The balance shown in the header, refreshed after each turn and export. */
export const CreditsModel: ModelConstructor<CreditsModel, [CreditsDeps]> = createModel(
  (deps: CreditsDeps) => {
    const credits = signal<Credits | null>(null, { name: 'credits.credits' })
    const installation = signal<InstallationInfo | null>(null, { name: 'credits.installation' })
    const error = signal<ApiError | null>(null, { name: 'credits.error' })
    const tokenKind = computed(() => credits.value?.tokenKind ?? installation.value?.tokenKind)
    const registerUrl = computed(() => installation.value?.registerUrl)

    async function refresh(): Promise<Credits> {
      try {
        const next = await deps.api.getCredits()
        credits.value = next
        error.value = null
        return next
      } catch (err) {
        error.value = apiErrorOf(err)
        throw err
      }
    }
    async function refreshInstallation(): Promise<void> {
      installation.value = await deps.api.getInstallation().catch(() => installation.peek())
    }
    void refresh().catch(() => {})
    void refreshInstallation()

    return { credits, tokenKind, registerUrl, error, refresh, refreshInstallation }
  },
)
