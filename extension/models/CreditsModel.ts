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
