import type { AppState } from '../models/app-state.ts'
import { t } from '../utils/i18n.ts'
import { AppContext } from './app-context.ts'
import { ChatPanel } from './ChatPanel.tsx'
import { ExportPanel } from './ExportPanel.tsx'
import { Header } from './Header.tsx'
import { TimelinePanel } from './TimelinePanel.tsx'
import { TrayStrip } from './TrayStrip.tsx'

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
          <TrayStrip />
          <ChatPanel />
          <TimelinePanel />
          <ExportPanel />
        </main>
      </div>
    </AppContext.Provider>
  )
}
