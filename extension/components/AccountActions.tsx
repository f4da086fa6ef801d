import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'

/**
 * The two ways an anonymous user gets more from NemoVideo: register (free) through the bind link,
 * which keeps their project, or use their own API token. One place, so every notice offers both.
 */
export function AccountActions() {
  const app = useApp()
  const registerUrl = app.credits.registerUrl.value
  return (
    <div class="notice-actions">
      {registerUrl && (
        <button type="button" class="button" onClick={() => app.links.openTab(registerUrl)}>
          {t('ui_action_register')}
        </button>
      )}
      <button type="button" class="button" onClick={() => app.links.openOptions()}>
        {t('ui_action_set_token')}
      </button>
    </div>
  )
}
