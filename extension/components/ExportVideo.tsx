import { useSignal } from '@preact/signals'
import type { ExportJob } from '../../shared/api/index.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'

/**
 * A finished cloud export, watched in place before it is downloaded: "Watch" asks for the job's
 * signed link (the same one the download uses) and plays it in a `<video>` with its controls.
 */
export function ExportVideo({ job }: { job: ExportJob }) {
  const { preview } = useApp()
  const src = useSignal<string | null>(null)
  const open = useSignal(false)
  const failed = useSignal(false)
  const toggle = async () => {
    if (open.value) {
      open.value = false
      return
    }
    open.value = true
    failed.value = false
    if (src.value) return
    try {
      src.value = await preview.deps.exportLink(job.jobId)
    } catch {
      failed.value = true
    }
  }
  return (
    <div class="job-watch">
      <button
        type="button"
        class="button button-quiet button-small"
        aria-expanded={open.value}
        onClick={() => void toggle()}
      >
        {open.value ? t('ui_job_hide_video') : t('ui_job_watch')}
      </button>
      {open.value && failed.value && <p class="job-watch-failed">{t('ui_media_network')}</p>}
      {open.value && src.value && (
        <video
          class="job-video"
          src={src.value}
          controls
          autoplay
          playsInline
          preload="auto"
          aria-label={t('ui_job_video_label', [job.preset])}
          onError={() => (failed.value = true)}
        />
      )}
    </div>
  )
}
