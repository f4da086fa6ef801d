import { useSignal } from '@preact/signals'
import type { SuggestedAction } from '../../shared/api/index.ts'
import type { ChatModel } from '../models/ChatModel.ts'
import type { ReplyEntry } from '../models/chat-history.ts'
import { formatDuration } from '../models/job-progress.ts'
import { t, type MessageKey } from '../utils/i18n.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { ReplyText } from './ReplyText.tsx'
import { useNow } from './use-now.ts'

const CHIP_KEYS: Record<SuggestedAction, MessageKey> = {
  export: 'ui_chip_export',
  state: 'ui_chip_state',
  upload: 'ui_chip_upload',
  credits: 'ui_chip_credits',
  preview: 'ui_action_preview',
}

/**
 * One reply: its text (markdown) as it streams, a working line with the elapsed time for the
 * whole turn and "Stop waiting", the summary, errors, chips, and Copy once it has text.
 */
export function ReplyView({ reply, chat }: { reply: ReplyEntry; chat: ChatModel }) {
  const streaming = reply.status === 'streaming'
  const now = useNow(streaming)
  const elapsed = formatDuration(now.value - reply.startedAt)
  const phase = reply.editing
    ? t('ui_reply_editing')
    : reply.text
      ? t('ui_reply_writing')
      : t('ui_reply_thinking')
  return (
    <div class="msg msg-reply" aria-busy={streaming}>
      {reply.notices.map((code, i) => (
        <p key={i} class="msg-notice">
          {t(code === 'session_renewed' ? 'ui_notice_session_renewed' : 'ui_notice_token_renewed')}
        </p>
      ))}
      {reply.text && <ReplyText text={reply.text} />}
      {streaming && (
        <div class="msg-working">
          <p class="msg-status" role="status">
            <span class="spinner" aria-hidden="true" /> <span>{phase}</span>
            <span class="msg-elapsed">{elapsed}</span>
          </p>
          {reply.stillWorking && <p class="msg-status">{t('ui_reply_still_working', [elapsed])}</p>}
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => void chat.stopWaiting(reply.id)}
            title={t('ui_reply_stop_hint')}
          >
            {t('ui_reply_stop')}
          </button>
        </div>
      )}
      {reply.status === 'stopped' && <p class="msg-notice">{t('ui_reply_stopped')}</p>}
      {reply.summary && (
        <div class="msg-summary-block">
          <p class="msg-summary-title">{t('ui_reply_summary')}</p>
          <p class="msg-summary">{reply.summary.summary}</p>
        </div>
      )}
      {reply.error && <ErrorNotice error={reply.error} onRetry={() => void chat.retry(reply.id)} />}
      {(reply.actions.length > 0 || (!streaming && reply.text)) && (
        <div class="chips" role="group" aria-label={t('ui_chips_label')}>
          {reply.actions.map((a) => (
            <button key={a} type="button" class="chip" onClick={() => void chat.runAction(a)}>
              {t(CHIP_KEYS[a])}
            </button>
          ))}
          {!streaming && reply.text && <CopyButton text={reply.text} />}
        </div>
      )}
    </div>
  )
}

/** Copies a reply's text; says so for a moment. */
function CopyButton({ text }: { text: string }) {
  const copied = useSignal(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      copied.value = true
      setTimeout(() => (copied.value = false), 1500)
    } catch {
      // No clipboard access (an old browser, a denied permission): the text stays selectable.
    }
  }
  return (
    <button type="button" class="chip chip-quiet" onClick={() => void copy()} aria-live="polite">
      {copied.value ? t('ui_reply_copied') : t('ui_reply_copy')}
    </button>
  )
}
