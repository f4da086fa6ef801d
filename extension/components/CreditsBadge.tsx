import { useSignal } from '@preact/signals'
import { ESTIMATED_COSTS } from '../models/CreditsModel.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { AccountActions } from './AccountActions.tsx'

/**
 * The balance and the kind of account, always in the header. A click refreshes it and explains
 * what things cost (NemoVideo's documented estimate) and how to get more.
 */
export function CreditsBadge() {
  const app = useApp()
  const { credits } = app
  const open = useSignal(false)
  const c = credits.credits.value
  const kind = credits.tokenKind.value
  const label = c ? t('ui_credits_value', [c.available]) : t('ui_credits_unknown')
  const kindLabel =
    kind === 'user' ? t('ui_account_user') : kind === 'anonymous' ? t('ui_account_free') : ''
  return (
    <div class="credits">
      <button
        type="button"
        class="credits-badge"
        aria-expanded={open.value}
        aria-controls="credits-info"
        onClick={() => {
          open.value = !open.value
          void credits.refresh().catch(() => {})
        }}
        title={
          c ? t('ui_credits_detail', [c.available, c.frozen, c.total]) : t('ui_credits_refresh')
        }
        aria-label={`${label}${kindLabel ? ` · ${kindLabel}` : ''}. ${t('ui_credits_refresh')}`}
      >
        <span class="credits-value">{label}</span>
        {kindLabel && <span class={`credits-kind credits-kind-${kind}`}>{kindLabel}</span>}
      </button>
      {open.value && (
        <div
          id="credits-info"
          class="credits-info"
          role="region"
          aria-label={t('ui_credits_about')}
        >
          {c && <p>{t('ui_credits_detail', [c.available, c.frozen, c.total])}</p>}
          <p>{t('ui_credits_costs', [ESTIMATED_COSTS.generate, ESTIMATED_COSTS.edit])}</p>
          {kind === 'anonymous' && (
            <>
              <p>{t('ui_credits_more_free')}</p>
              <AccountActions />
            </>
          )}
        </div>
      )}
    </div>
  )
}
