import { t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'
import { ChatLog, ChatStart } from './ChatLog.tsx'
import { Composer } from './Composer.tsx'

/** The current project's chat, or an invitation to start one. */
export function ChatPanel() {
  const app = useApp()
  const chat = app.projects.chat.value
  return (
    <section class="chat" aria-label={t('ui_chat_label')}>
      {chat ? (
        <ChatLog key={chat.sessionId.value} chat={chat} />
      ) : (
        <div class="chat-log">
          <ChatStart />
        </div>
      )}
      <Composer chat={chat} />
    </section>
  )
}
