import type { ApiError, ErrorAction } from '../../shared/api/index.ts'
import { currentLang, t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { errorTable } from './error-table.ts'

export interface ErrorNoticeProps {
  error: ApiError
  /** Shown for a `retry` action; without it the action is left out. */
  onRetry?: () => void
  onDismiss?: () => void
  /** Which item the error belongs to ("image 2"), when there is one. */
  subject?: string
  /**
   * The export on this device, offered where the cloud cannot give the video now: the plan
   * refuses it, no credits, or the backend is down or failing.
   */
  onExportHere?: () => void
}

/** Cloud export failures that the export on this device gets around. */
const HERE_HELPS: ReadonlySet<ApiError['code']> = new Set([
  'plan_required',
  'no_credits',
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_rate_limited',
  'render_failed',
])

/**
 * An error in the UI language (from the shared table) with what the user can do about it: the
 * register link with the bind id, the API-token setting, the supported formats, retry...
 */
export function ErrorNoticeView({
  error,
  onRetry,
  onDismiss,
  subject,
  onExportHere,
}: ErrorNoticeProps) {
  const app = useApp()
  const tokenKind = app.credits.tokenKind.value
  // Until the table is in (moments after the first paint), the worker's English message.
  const described = errorTable()?.describeError(error.code, {
    ...(error.params && { params: error.params }),
    ...(error.issues && { issues: error.issues }),
    ...(tokenKind && { tokenKind }),
  })
  const actions: ErrorAction[] = []
  for (const a of [error.action, described?.action, described?.alternative]) {
    if (a && !actions.some((b) => b.kind === a.kind)) actions.push(a)
  }
  const message = described?.message[currentLang()] ?? error.message
  const here = onExportHere && HERE_HELPS.has(error.code) ? onExportHere : undefined
  return (
    <div class="notice notice-error" role="alert">
      <p class="notice-text">{subject ? `${subject}: ${message}` : message}</p>
      {here && <p class="notice-hint">{t('ui_export_here_offer')}</p>}
      {(actions.length > 0 || here) && (
        <div class="notice-actions">
          {here && (
            <button type="button" class="button button-primary export-here" onClick={here}>
              {t('ui_export_here')}
            </button>
          )}
          {actions.map((a) => (
            <ActionControl key={a.kind} action={a} onRetry={onRetry} />
          ))}
        </div>
      )}
      {onDismiss && (
        <button
          type="button"
          class="icon-button notice-close"
          onClick={onDismiss}
          aria-label={t('ui_dismiss')}
        >
          ×
        </button>
      )}
    </div>
  )
}

function ActionControl({
  action,
  onRetry,
}: {
  action: ErrorAction
  onRetry: (() => void) | undefined
}) {
  const app = useApp()
  switch (action.kind) {
    case 'register': {
      // The installation's own link carries the bind id; the table's may not.
      const url = action.url.includes('bind=')
        ? action.url
        : (app.credits.registerUrl.value ?? action.url)
      return <LinkButton url={url} label={t('ui_action_register')} primary />
    }
    case 'upgrade':
      return <LinkButton url={action.url} label={t('ui_action_upgrade')} primary />
    case 'top_up':
      return <LinkButton url={action.url} label={t('ui_action_top_up')} primary />
    case 'set_api_token':
      return (
        <button type="button" class="button" onClick={() => app.links.openOptions()}>
          {t('ui_action_set_token')}
        </button>
      )
    case 'formats':
      return <p class="notice-hint">{t('ui_action_formats', [action.formats.join(', ')])}</p>
    case 'compress':
      return <p class="notice-hint">{t('ui_action_compress')}</p>
    case 'retry':
      return onRetry ? (
        <button type="button" class="button" onClick={onRetry}>
          {t('ui_action_retry')}
        </button>
      ) : null
    case 'new_session':
      return (
        <button
          type="button"
          class="button"
          onClick={() => void app.projects.newProject().catch(() => {})}
        >
          {t('ui_new_project')}
        </button>
      )
    case 'reinstall':
      return (
        <button type="button" class="button" onClick={() => app.links.openOptions()}>
          {t('ui_action_settings')}
        </button>
      )
  }
}

function LinkButton({ url, label, primary }: { url: string; label: string; primary?: boolean }) {
  const app = useApp()
  return (
    <button
      type="button"
      class={primary ? 'button button-primary' : 'button'}
      onClick={() => app.links.openTab(url)}
    >
      {label}
    </button>
  )
}
