import { useSignal } from '@preact/signals'
import { useLayoutEffect, useRef } from 'preact/hooks'
import type { ChatModel } from '../models/ChatModel.ts'
import type { ChatEntry } from '../models/chat-history.ts'
import { t } from '../utils/i18n.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { ReplyView } from './ReplyView.tsx'
import { useApp } from '../app/app-context.ts'

/** The chat's lines; keeps the newest in view unless the user scrolled up to read. */
export function ChatLog({ chat }: { chat: ChatModel }) {
  const entries = chat.entries.value
  const ref = useRef<HTMLDivElement>(null)
  const pinned = useSignal(true)
  const count = entries.length
  const seen = useRef(count)
  useLayoutEffect(() => {
    const el = ref.current
    // An empty log (the chat still loading as the popup opens) has nothing to scroll to: reading
    // its size would lay the page out once more before its first paint.
    if (!el || !pinned.peek() || count === 0) return
    // The side panel's log scrolls itself; the popup's grows inside the one page scroll.
    if (el.scrollHeight > el.clientHeight + 1) el.scrollTop = el.scrollHeight
    else if (count !== seen.current) revealLast(el)
    seen.current = count
  })
  const onScroll = () => {
    const el = ref.current
    if (el) pinned.value = el.scrollHeight - el.scrollTop - el.clientHeight < 32
  }
  return (
    <div
      ref={ref}
      class="chat-log"
      role="log"
      aria-live="polite"
      aria-relevant="additions text"
      onScroll={onScroll}
    >
      {entries.length === 0 && <ChatStart />}
      {entries.map((entry) => (
        <EntryView key={entry.id} entry={entry} chat={chat} />
      ))}
    </div>
  )
}

/**
 * Scrolls the popup's one scroll container just enough to show the newest message above the
 * composer that sticks to the bottom of the view (never the document: the popup has a fixed size).
 */
function revealLast(log: HTMLElement): void {
  const scroller = log.closest('.app-main')
  const last = log.lastElementChild
  if (!scroller || !last) return
  const composer = log.nextElementSibling?.getBoundingClientRect().height ?? 0
  const visibleBottom = scroller.getBoundingClientRect().bottom - composer
  const below = last.getBoundingClientRect().bottom - visibleBottom
  if (below > 0) scroller.scrollTop += below
}

/**
 * An empty chat: what to do first, and the whole article of the current tab in one click (which
 * may ask for access to the page: see app/capture-article.ts). Refused, it says what to do instead.
 */
export function ChatStart() {
  const { links } = useApp()
  const refused = useSignal(false)
  const capture = links.captureArticle
  return (
    <div class="chat-start chat-empty">
      <p>{t('ui_chat_empty')}</p>
      {capture && (
        <button
          type="button"
          class="button"
          onClick={() => {
            // Straight from the click: the access prompt needs the user's gesture.
            const done = capture()
            refused.value = false
            void done.then((result) => (refused.value = result === 'refused'))
          }}
        >
          {t('ui_article_button')}
        </button>
      )}
      {refused.value && (
        <p class="chat-article-refused" role="status">
          {t('ui_article_access_refused')}
        </p>
      )}
    </div>
  )
}

function EntryView({ entry, chat }: { entry: ChatEntry; chat: ChatModel }) {
  switch (entry.kind) {
    case 'user':
      return (
        <div class="msg msg-user">
          <p class="msg-text">{entry.text}</p>
        </div>
      )
    case 'reply':
      return <ReplyView reply={entry} chat={chat} />
    case 'credits':
      return (
        <div class="msg msg-system">
          <p>{t('ui_chat_credits', [entry.credits.available, entry.credits.total])}</p>
        </div>
      )
    case 'state':
      return (
        <div class="msg msg-system">
          <p class="msg-summary">{entry.summary}</p>
        </div>
      )
    case 'exporting':
      return (
        <div class="msg msg-system">
          <p>{t('ui_chat_exporting', [entry.presets.join(', ')])}</p>
        </div>
      )
    case 'error':
      return (
        <div class="msg msg-system">
          <ErrorNotice
            error={entry.error}
            {...(entry.retryText && { onRetry: () => void chat.retry(entry.id) })}
          />
        </div>
      )
  }
}
