import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { TimelineView } from './TimelineView.tsx'

/** Collapsible: the draft's timeline with its text summary, refreshable on demand. */
export function TimelinePanel() {
  const { timeline, projects, preview } = useApp()
  const state = timeline.state.value
  const hasSegments = !!state?.timeline.tracks.some((tr) => tr.segments.length > 0)
  return (
    // Collapsed while there is nothing to draw; opens by itself with the first segments.
    <details class="panel" open={hasSegments || !!timeline.error.value}>
      <summary class="panel-summary">
        <span class="section-title">{t('ui_timeline_title')}</span>
      </summary>
      <div class="panel-body">
        <div class="panel-tools">
          <button
            type="button"
            class="button button-quiet"
            disabled={!projects.current.value || timeline.loading.value}
            onClick={() => void timeline.refresh().catch(() => {})}
          >
            {timeline.loading.value ? t('ui_loading') : t('ui_refresh')}
          </button>
        </div>
        {timeline.error.value && (
          <ErrorNotice
            error={timeline.error.value}
            onRetry={() => void timeline.refresh().catch(() => {})}
          />
        )}
        {state && hasSegments ? (
          <div class="timeline-layout">
            <TimelineView
              timeline={state.timeline}
              playheadMs={preview.currentMs.value}
              onSeek={(ms) => preview.seek(ms)}
            />
            <p class="timeline-summary">{state.summary}</p>
          </div>
        ) : (
          <p class="empty">{t('ui_timeline_empty')}</p>
        )}
      </div>
    </details>
  )
}
