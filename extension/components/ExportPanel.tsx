import { ExportPreset } from '../../shared/api/index.ts'
import { t, type MessageKey } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { AccountActions } from './AccountActions.tsx'
import { ErrorNotice } from './ErrorNotice.tsx'
import { JobRow } from './JobRow.tsx'
import { projectTitle } from './ProjectMenu.tsx'

const PRESET_KEYS: Record<ExportPreset, MessageKey> = {
  '16:9': 'ui_preset_landscape',
  '9:16': 'ui_preset_portrait',
  '1:1': 'ui_preset_square',
}

/** Why this browser cannot export here, in the UI's language. */
const UNSUPPORTED_KEYS: Record<'no-webcodecs' | 'no-h264', MessageKey> = {
  'no-webcodecs': 'ui_export_here_no_webcodecs',
  'no-h264': 'ui_export_here_no_h264',
}

/**
 * Presets as toggles (one job each), the anonymous-account warning, the cloud export and the
 * export on this device side by side, and the jobs of both.
 */
export function ExportPanel() {
  const app = useApp()
  const ex = app.exports
  const selected = ex.selected.value
  const here = app.localRender
  // Jobs rendered here sit in the same list as the cloud's, newest first.
  // The current project's jobs only, under its name; the others stay with their projects.
  const project = app.projects.current.value
  const jobs = [...ex.jobs.value, ...here.jobs.value]
    .filter((j) => j.sessionId === project?.sessionId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  // A fresh popup may not have read the draft yet: "Export here" reads it first.
  const draftUnread = !!app.timeline.sessionId.value && !app.timeline.state.value
  const support = here.support.value
  const unsupported = support && !support.ok ? t(UNSUPPORTED_KEYS[support.reason]) : undefined
  const canExportHere = !unsupported && (here.available.value || draftUnread)
  const exportHere = () => {
    ex.dismissError()
    void here.start(selected, { readDraft: () => app.timeline.refresh() }).catch(() => {})
  }
  return (
    // Collapsed until there is something to export or a job to follow (the popup's first view);
    // it opens by itself then, and stays as the user leaves it.
    <details
      class="panel"
      open={!!app.timeline.state.value?.exportable || jobs.length > 0 || !!ex.error.value}
    >
      <summary class="panel-summary">
        <span class="section-title">{t('ui_export_title')}</span>
      </summary>
      <div class="panel-body">
        <div class="presets" role="group" aria-label={t('ui_export_presets')}>
          {ExportPreset.options.map((preset) => (
            <button
              key={preset}
              type="button"
              class="toggle"
              aria-pressed={selected.includes(preset)}
              onClick={() => ex.toggle(preset)}
            >
              <span class="toggle-ratio">{preset}</span>
              <span class="toggle-name">{t(PRESET_KEYS[preset])}</span>
            </button>
          ))}
        </div>
        {ex.anonymous.value && (
          <div class="notice notice-info">
            <p class="notice-text">{t('ui_export_anonymous')}</p>
            <AccountActions />
          </div>
        )}
        <div class="export-actions">
          <button
            type="button"
            class="button button-primary button-wide"
            disabled={ex.starting.value || selected.length === 0}
            onClick={() => void ex.start().catch(() => {})}
          >
            {ex.starting.value ? t('ui_export_starting') : t('ui_export_start', [selected.length])}
          </button>
          <button
            type="button"
            class="button button-wide export-here"
            title={unsupported ?? t('ui_export_here_title')}
            disabled={
              here.starting.value ||
              here.readingDraft.value ||
              selected.length === 0 ||
              !canExportHere
            }
            aria-describedby={unsupported ? 'export-here-unsupported' : undefined}
            onClick={exportHere}
          >
            {here.readingDraft.value
              ? t('ui_export_here_reading')
              : here.starting.value
                ? t('ui_export_starting')
                : t('ui_export_here')}
          </button>
        </div>
        {unsupported && (
          <p class="notice-hint export-here-unsupported" id="export-here-unsupported">
            {unsupported}
          </p>
        )}
        {!unsupported && !canExportHere && selected.length > 0 && (
          <p class="notice-hint">{t('ui_export_here_no_draft')}</p>
        )}
        {here.readError.value && (
          <>
            <ErrorNotice
              error={here.readError.value}
              subject={t('ui_export_here_read_subject')}
              onRetry={exportHere}
              onDismiss={() => here.dismiss()}
            />
            <p class="notice-hint">{t('ui_export_here_nothing_lost')}</p>
          </>
        )}
        {ex.error.value && (
          <ErrorNotice
            error={ex.error.value}
            onRetry={() => void ex.start().catch(() => {})}
            onDismiss={() => ex.dismissError()}
            {...(canExportHere && { onExportHere: exportHere })}
          />
        )}
        {here.failure.value && (
          <div class="notice notice-error" role="alert">
            <p class="notice-text">{t('ui_export_here_failed', [here.failure.value])}</p>
          </div>
        )}
        {jobs.length > 0 && (
          <ul class="jobs" aria-label={t('ui_jobs_of', [projectTitle(project!)])}>
            {jobs.map((job) => (
              <JobRow key={job.jobId} job={job} />
            ))}
          </ul>
        )}
      </div>
    </details>
  )
}
