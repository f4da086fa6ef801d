import { useSignal } from '@preact/signals'
import type { ChatModel } from '../models/ChatModel.ts'
import { apiErrorOf } from '../models/errors.ts'
import { MESSAGE_MAX_LENGTH, type ApiError } from '../../shared/api/index.ts'
import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { CreditsWarning } from './CreditsWarning.tsx'

/** The message box: Enter sends, Shift+Enter starts a new line; disabled with a reason while busy. */
export function Composer({ chat }: { chat: ChatModel | null }) {
  const app = useApp()
  const text = useSignal('')
  const failed = useSignal<ApiError | null>(null)
  const busy = chat?.busy.value ?? (app.projects.creating.value ? 'sending' : false)
  const reason =
    busy === 'loading'
      ? t('ui_busy_loading')
      : busy === 'sending'
        ? t('ui_busy_sending')
        : busy === 'replying'
          ? t('ui_busy_replying')
          : ''

  const submit = () => {
    const value = text.value.trim()
    if (!value || busy) return
    text.value = ''
    failed.value = null
    const sent = chat ? chat.send(value) : app.sendChat(value)
    void sent.catch((err: unknown) => {
      failed.value = apiErrorOf(err)
      text.value = value
    })
  }
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      {failed.value && <ErrorNotice error={failed.value} onDismiss={() => (failed.value = null)} />}
      <CreditsWarning />
      <label class="visually-hidden" for="composer-input">
        {t('ui_composer_label')}
      </label>
      <textarea
        id="composer-input"
        class="composer-input"
        rows={2}
        maxLength={MESSAGE_MAX_LENGTH}
        value={text.value}
        placeholder={t('ui_composer_placeholder')}
        disabled={!!busy}
        aria-describedby={reason ? 'composer-reason' : undefined}
        onInput={(e) => (text.value = e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault()
            submit()
          }
        }}
      />
      <div class="composer-bar">
        <span id="composer-reason" class="composer-reason" aria-live="polite">
          {reason}
        </span>
        <button type="submit" class="button button-primary" disabled={!!busy || !text.value.trim()}>
          {t('ui_send')}
        </button>
      </div>
    </form>
  )
}
