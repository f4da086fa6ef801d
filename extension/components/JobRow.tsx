import { TERMINAL_JOB_STATUSES, type ExportJob } from '../../shared/api/index.ts'
import { formatDuration, jobProgress, TYPICAL_RENDER_MS } from '../models/job-progress.ts'
import { isLocalJobId } from '../render/local-jobs.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { ExportVideo } from './ExportVideo.tsx'
import { useNow } from './use-now.ts'

/** One export: an honest progress line across editing and rendering, cancel, download. */
export function JobRow({ job }: { job: ExportJob }) {
  const app = useApp()
  const terminal = TERMINAL_JOB_STATUSES.has(job.status)
  const now = useNow(!terminal)
  const chat = app.projects.chat.value
  // Rendered on this device: the draft as it was at the click, no backend, its own actions.
  const local = isLocalJobId(job.jobId)
  const actions = local ? app.localRender : app.exports
  const editing =
    !local && !!chat && chat.sessionId.value === job.sessionId && chat.busy.value === 'replying'
  // The cloud's renders without a figure of their own: an estimate from this installation's past.
  const p = jobProgress(job, now.value, editing, local ? undefined : app.exports.history.value)
  const elapsed = formatDuration(p.elapsedMs)
  const typical = t('ui_job_typical', [TYPICAL_RENDER_MS.min / 1000, TYPICAL_RENDER_MS.max / 1000])
  const estimateLine = () =>
    t('ui_job_estimate', [
      elapsed,
      formatDuration(p.remainingMs ?? 0),
      app.exports.history.value?.count ?? 0,
    ])
  const line = (() => {
    switch (p.phase) {
      case 'editing':
        return t('ui_job_editing', [elapsed])
      case 'pending':
        if (local) return t('ui_job_here_pending', [elapsed])
        if (p.estimated) return estimateLine()
        return `${t('ui_job_pending', [elapsed])} · ${typical}`
      case 'processing':
        if (p.estimated) return estimateLine()
        if (p.percent !== undefined && p.remainingMs !== undefined) {
          return t('ui_job_processing_pct', [
            Math.round(p.percent),
            elapsed,
            formatDuration(p.remainingMs),
          ])
        }
        if (local) return t('ui_job_here_starting', [elapsed])
        return `${t('ui_job_processing', [elapsed])} · ${typical}`
      case 'completed':
        return t('ui_job_completed', [elapsed])
      case 'failed':
        return t('ui_job_failed')
      case 'cancelled':
        return t('ui_job_cancelled')
    }
  })()
  return (
    <li class={`job job-${p.phase}`}>
      <div class="job-head">
        <span class="job-preset">{job.preset}</span>
        {local && <span class="job-here">{t('ui_job_here')}</span>}
        <span class="job-line" role="status">
          {line}
        </span>
      </div>
      {!terminal && (
        <progress
          class="progress"
          max={100}
          {...(p.percent !== undefined && { value: p.percent })}
          aria-label={t('ui_job_progress_label', [job.preset])}
        />
      )}
      <div class="job-actions">
        {!terminal && (
          <button
            type="button"
            class="button button-quiet"
            onClick={() => void actions.cancel(job.jobId)}
          >
            {t('ui_job_cancel')}
          </button>
        )}
        {job.status === 'completed' && (
          <button
            type="button"
            class="button button-primary"
            onClick={() => void actions.download(job.jobId)}
          >
            {t('ui_job_download')}
          </button>
        )}
      </div>
      {job.status === 'completed' && !local && <ExportVideo job={job} />}
      {job.status === 'failed' && job.error && (
        <ErrorNotice
          error={job.error}
          onRetry={() => void actions.start([job.preset]).catch(() => {})}
        />
      )}
    </li>
  )
}
