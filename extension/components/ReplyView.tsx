import type { SuggestedAction } from '../../shared/api/index.ts'
import type { ChatModel } from '../models/ChatModel.ts'
import type { ReplyEntry } from '../models/chat-history.ts'
import { formatDuration } from '../models/job-progress.ts'
import { t, type MessageKey } from '../utils/i18n.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { useNow } from './use-now.ts'

const CHIP_KEYS: Record<SuggestedAction, MessageKey> = {
  export: 'ui_chip_export',
  state: 'ui_chip_state',
  upload: 'ui_chip_upload',
  credits: 'ui_chip_credits',
}

/** One reply: its text as it streams, quiet progress lines, the summary, errors and chips. */
export function ReplyView({ reply, chat }: { reply: ReplyEntry; chat: ChatModel }) {
  const streaming = reply.status === 'streaming'
  const now = useNow(streaming && reply.stillWorking)
  return (
    <div class="msg msg-reply" aria-busy={streaming}>
      {reply.notices.map((code, i) => (
        <p key={i} class="msg-notice">
          {t(code === 'session_renewed' ? 'ui_notice_session_renewed' : 'ui_notice_token_renewed')}
        </p>
      ))}
      {reply.text && <p class="msg-text">{reply.text}</p>}
      {streaming && reply.editing && (
        <p class="msg-status" role="status">
          <span class="spinner" aria-hidden="true" /> {t('ui_reply_editing')}
        </p>
      )}
      {streaming && reply.stillWorking && (
        <p class="msg-status" role="status">
          {t('ui_reply_still_working', [formatDuration(now.value - reply.startedAt)])}
        </p>
      )}
      {streaming && !reply.text && !reply.editing && !reply.stillWorking && (
        <p class="msg-status">
          <span class="spinner" aria-hidden="true" /> {t('ui_reply_thinking')}
        </p>
      )}
      {reply.summary && (
        <div class="msg-summary-block">
          <p class="msg-summary-title">{t('ui_reply_summary')}</p>
          <p class="msg-summary">{reply.summary.summary}</p>
        </div>
      )}
      {reply.error && <ErrorNotice error={reply.error} onRetry={() => void chat.retry(reply.id)} />}
      {reply.actions.length > 0 && (
        <div class="chips" role="group" aria-label={t('ui_chips_label')}>
          {reply.actions.map((a) => (
            <button key={a} type="button" class="chip" onClick={() => void chat.runAction(a)}>
              {t(CHIP_KEYS[a])}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
