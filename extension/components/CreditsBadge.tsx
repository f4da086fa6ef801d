import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'

/** The balance and the kind of account, always in the header; a click refreshes it. */
export function CreditsBadge() {
  const { credits } = useApp()
  const c = credits.credits.value
  const kind = credits.tokenKind.value
  const label = c ? t('ui_credits_value', [c.available]) : t('ui_credits_unknown')
  const kindLabel =
    kind === 'user' ? t('ui_account_user') : kind === 'anonymous' ? t('ui_account_free') : ''
  return (
    <button
      type="button"
      class="credits-badge"
      onClick={() => void credits.refresh().catch(() => {})}
      title={c ? t('ui_credits_detail', [c.available, c.frozen, c.total]) : t('ui_credits_refresh')}
      aria-label={`${label}${kindLabel ? ` · ${kindLabel}` : ''}. ${t('ui_credits_refresh')}`}
    >
      <span class="credits-value">{label}</span>
      {kindLabel && <span class={`credits-kind credits-kind-${kind}`}>{kindLabel}</span>}
    </button>
  )
}
