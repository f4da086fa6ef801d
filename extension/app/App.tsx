import type { AppState } from './app-state.ts'
import { t } from '../utils/i18n.ts'
import { AppContext } from './app-context.ts'
import { ChatPanel } from '../components/ChatPanel.tsx'
import { ExportPanel } from '../components/ExportPanel.tsx'
import { Header } from '../components/Header.tsx'
import { PreviewPlayer } from '../components/PreviewPlayer.tsx'
import { TimelinePanel } from '../components/TimelinePanel.tsx'
import { TrayStrip } from '../components/TrayStrip.tsx'

/** The one UI of the popup and the side panel; files dropped anywhere on it join the tray. */
export function App({ state }: { state: AppState }) {
  return (
    <AppContext.Provider value={state}>
      <div
        class="app"
        onDragOver={(e) => {
          if (e.dataTransfer?.types.includes('Files')) e.preventDefault()
        }}
        onDrop={(e) => {
          const files = [...(e.dataTransfer?.files ?? [])]
          if (!files.length) return
          e.preventDefault()
          void state.tray.addFiles(files)
        }}
      >
        <a class="skip-link" href="#composer-input">
          {t('ui_skip_to_chat')}
        </a>
        <Header />
        <main class="app-main">
          {/* The preview and the chat first; the tray, timeline and export compact below. */}
          <PreviewPlayer />
          <ChatPanel />
          <TrayStrip />
          <TimelinePanel />
          <ExportPanel />
        </main>
      </div>
    </AppContext.Provider>
  )
}
