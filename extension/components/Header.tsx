import { useSignal } from '@preact/signals'
import type { ApiError } from '../../shared/api/index.ts'
import { apiErrorOf } from '../models/errors.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { CreditsBadge } from './CreditsBadge.tsx'
import { ErrorNotice } from './ErrorNotice.tsx'
import { ProjectMenu } from './ProjectMenu.tsx'

/** Credits, the project switcher, "Open in NemoVideo" and the settings link. */
export function Header() {
  const app = useApp()
  const failed = useSignal<ApiError | null>(null)
  const openInEditor = async () => {
    failed.value = null
    try {
      app.links.openTab(await app.projects.claimUrl())
    } catch (err) {
      failed.value = apiErrorOf(err)
    }
  }
  return (
    <header class="header">
      <div class="header-row">
        <h1 class="brand">{t('ui_app_title')}</h1>
        <CreditsBadge />
        <button
          type="button"
          class="icon-button"
          onClick={() => app.links.openOptions()}
          aria-label={t('ui_settings')}
          title={t('ui_settings')}
        >
          ⚙
        </button>
      </div>
      <div class="header-row">
        <ProjectMenu />
        <button
          type="button"
          class="button"
          disabled={!app.projects.current.value}
          onClick={() => void openInEditor()}
        >
          {t('ui_open_in_nemo')}
        </button>
      </div>
      {failed.value && <ErrorNotice error={failed.value} onDismiss={() => (failed.value = null)} />}
    </header>
  )
}
