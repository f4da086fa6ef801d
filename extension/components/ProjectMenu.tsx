import type { Project } from '../utils/storage.ts'
import { currentLang, t } from '../utils/i18n.ts'
import { useApp } from '../app/app-context.ts'

/** Switch between projects (each keeps its chat) or start a new one. */
export function ProjectMenu() {
  const { projects } = useApp()
  const list = projects.projects.value
  const current = projects.current.value
  return (
    <div class="project-menu">
      {list.length > 0 && (
        <select
          class="project-select"
          aria-label={t('ui_project_label')}
          value={current?.sessionId ?? ''}
          onChange={(e) => void projects.select(e.currentTarget.value)}
        >
          {list.map((p) => (
            <option key={p.sessionId} value={p.sessionId}>
              {projectTitle(p)}
            </option>
          ))}
        </select>
      )}
      {current?.sourceUrl && <SourceLink url={current.sourceUrl} />}
      <button
        type="button"
        class="button"
        disabled={projects.creating.value}
        onClick={() => void projects.newProject().catch(() => {})}
      >
        {t('ui_new_project')}
      </button>
    </div>
  )
}

/** The page a project was made from, opened in a new tab. */
function SourceLink({ url }: { url: string }) {
  const { links } = useApp()
  let host = url
  try {
    host = new URL(url).hostname || url
  } catch {
    // Not a URL: shown as it is.
  }
  return (
    <button
      type="button"
      class="button button-quiet source-link"
      title={url}
      aria-label={t('ui_project_source', [host])}
      onClick={() => links.openTab(url)}
    >
      ↗ {host}
    </button>
  )
}

/** A project's title, or when it was started while it has none yet. */
export function projectTitle(p: Project): string {
  if (p.title) return p.title
  const when = new Date(p.createdAt).toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
  return t('ui_project_untitled', [when])
}
