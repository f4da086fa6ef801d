import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { MEDIA_FORMATS } from '../../shared/media.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { TrayItemCard } from './TrayItemCard.tsx'

const ACCEPT = MEDIA_FORMATS.map((f) => `.${f}`).join(',')

/** The collected images and texts, reorderable, and the "Make video from these" button. */
export function TrayStrip() {
  const { tray } = useApp()
  const items = tray.items.value
  const input = useRef<HTMLInputElement>(null)
  const dragging = useSignal<string | null>(null)
  const picks = tray.pickRequests.value
  // Requests made before this mount (a re-render after a language switch) are not re-opened.
  const handled = useRef(picks)
  useEffect(() => {
    if (picks > handled.current) input.current?.click()
    handled.current = picks
  }, [picks])
  const progress = tray.progress.value
  const failure = tray.failure.value
  const failedIndex = failure?.itemId ? items.findIndex((i) => i.id === failure.itemId) : -1
  const failedItem = items[failedIndex]
  return (
    <section class="tray" aria-labelledby="tray-title">
      <div class="tray-head">
        <h2 id="tray-title" class="section-title">
          {t('ui_tray_title', [items.length])}
        </h2>
        <button type="button" class="button" onClick={() => input.current?.click()}>
          {t('ui_tray_add_files')}
        </button>
        {items.length > 0 && (
          <button
            type="button"
            class="button button-quiet"
            onClick={() => void tray.clear()}
            disabled={tray.busy.value}
          >
            {t('ui_tray_clear')}
          </button>
        )}
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          class="visually-hidden"
          tabIndex={-1}
          aria-label={t('ui_tray_add_files')}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])]
            e.currentTarget.value = ''
            if (files.length) void tray.addFiles(files)
          }}
        />
      </div>
      {items.length === 0 ? (
        <p class="tray-empty">{t('ui_tray_empty')}</p>
      ) : (
        <ol class="tray-items">
          {items.map((item, index) => (
            <TrayItemCard
              key={item.id}
              item={item}
              index={index}
              count={items.length}
              tray={tray}
              failed={item.id === failure?.itemId}
              onDragStart={() => (dragging.value = item.id)}
              onDrop={() => {
                if (dragging.value && dragging.value !== item.id)
                  void tray.move(dragging.value, index)
                dragging.value = null
              }}
            />
          ))}
        </ol>
      )}
      {progress !== null && (
        <progress class="progress" max={1} value={progress} aria-label={t('ui_tray_uploading')}>
          {Math.round(progress * 100)}%
        </progress>
      )}
      {tray.fileProblems.value.map((p) => (
        <ErrorNotice
          key={p.name}
          error={p.error}
          subject={p.name}
          onDismiss={() => tray.dismiss()}
        />
      ))}
      {failure && (
        <ErrorNotice
          error={failure.error}
          {...(failedItem && {
            subject:
              failedItem.kind === 'image'
                ? t('ui_tray_image_n', [failedIndex + 1])
                : t('ui_tray_text_n', [failedIndex + 1]),
          })}
          onRetry={() => void tray.retry()}
          onDismiss={() => tray.dismiss()}
        />
      )}
      {failure?.resumable && <p class="notice-hint">{t('ui_tray_upload_resumes')}</p>}
      {items.length > 0 && (
        <button
          type="button"
          class="button button-primary button-wide"
          disabled={tray.busy.value}
          onClick={() => void tray.makeVideo()}
        >
          {items.some((i) => i.kind === 'image')
            ? t('ui_tray_make_video')
            : t('ui_tray_make_video_text')}
        </button>
      )}
    </section>
  )
}
