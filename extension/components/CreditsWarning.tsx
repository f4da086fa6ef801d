import { shortFor } from '../models/CreditsModel.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { AccountActions } from './AccountActions.tsx'

/**
 * Before the message is sent: when the balance is below what the next turn likely costs (a first
 * video, or an edit once the project has one), say so and offer the ways to more credits.
 */
export function CreditsWarning() {
  const app = useApp()
  const kind = app.timeline.state.value?.exportable ? 'edit' : 'generate'
  const short = shortFor(app.credits.credits.value, kind)
  if (!short) return null
  const anonymous = app.credits.tokenKind.value !== 'user'
  return (
    <div class="notice notice-info credits-warning" role="note">
      <p class="notice-text">
        {t(kind === 'edit' ? 'ui_credits_low_edit' : 'ui_credits_low_generate', [
          short.available,
          short.needed,
        ])}
      </p>
      {anonymous && <AccountActions />}
    </div>
  )
}
