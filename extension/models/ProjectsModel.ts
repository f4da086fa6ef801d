import {
  computed,
  createModel,
  effect,
  signal,
  untracked,
  type ModelConstructor,
  type ReadonlySignal,
} from '@preact/signals'
import { clientError, type WorkerClient } from '../utils/api/index.ts'
import type { ParsedItem } from '../utils/parsed-item.ts'
import type { Project, Projects } from '../utils/storage.ts'
import type { ChatModel } from './ChatModel.ts'

export interface ProjectsDeps {
  api: Pick<WorkerClient, 'createSession' | 'claim'>
  store: Pick<ParsedItem<Projects>, 'getValue' | 'watch' | 'update'>
  /** Builds the chat of a project; disposed when another project is shown. */
  makeChat(sessionId: string): ChatModel & Disposable
  /** The backend's language for new sessions (`en`, `zh-CN`). */
  language(): string
  now?: () => Date
}

export interface ProjectsModel {
  projects: ReadonlySignal<readonly Project[]>
  current: ReadonlySignal<Project | undefined>
  /** The current project's chat, or null before the first project exists. */
  chat: ReadonlySignal<(ChatModel & Disposable) | null>
  creating: ReadonlySignal<boolean>
  /** A new project is a new session with a fresh chat; older chats stay in the list. */
  newProject(): Promise<string>
  select(sessionId: string): Promise<void>
  /**
   * The current project's session, creating the first one on demand. `named` titles it when it
   * has no title yet; with `fresh` (an article), a titled one is left alone and a new one started.
   */
  ensureSession(named?: ProjectName): Promise<string>
  /** The worker's claim link that opens the project in NemoVideo's editor. */
  claimUrl(): Promise<string>
  /** Names an untitled project after its first message. */
  nameAfter(sessionId: string, text: string): Promise<void>
}

/** What a capture names a project with. */
export interface ProjectName {
  title: string
  /** The page it came from, kept for the user. */
  sourceUrl?: string
  /** A project of its own (an article): a current project that already has a title is kept. */
  fresh?: boolean
}

/** Project titles made from a message stop here. */
const TITLE_MAX = 60

/** A title from free text: one line, cut at a word boundary with an ellipsis when too long. */
export function titleFrom(text: string, max = TITLE_MAX): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  if (oneLine.length <= max) return oneLine
  const head = oneLine.slice(0, max - 1)
  const space = head.lastIndexOf(' ')
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,.;:!?]+$/, '')}…`
}

export const ProjectsModel: ModelConstructor<ProjectsModel, [ProjectsDeps]> = createModel(
  (deps: ProjectsDeps) => {
    const state = signal<Projects>({ projects: [] }, { name: 'projects.state' })
    const creating = signal(false, { name: 'projects.creating' })
    const chat = signal<(ChatModel & Disposable) | null>(null, { name: 'projects.chat' })
    const projects = computed(() =>
      [...state.value.projects].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    )
    const current = computed(() =>
      state.value.projects.find((p) => p.sessionId === state.value.currentSessionId),
    )
    const currentId = computed(() => current.value?.sessionId)

    effect(() => deps.store.watch((value) => (state.value = value)))
    void deps.store.getValue().then((value) => (state.value = value))

    effect(() => {
      const id = currentId.value
      if (!id) return
      const model = untracked(() => deps.makeChat(id))
      chat.value = model
      return () => {
        model[Symbol.dispose]()
        if (chat.peek() === model) chat.value = null
      }
    })

    let inflight: Promise<string> | undefined
    function newProject(): Promise<string> {
      inflight ??= (async () => {
        creating.value = true
        try {
          const session = await deps.api.createSession(deps.language())
          const createdAt = (deps.now?.() ?? new Date()).toISOString()
          const project: Project = { sessionId: session.sessionId, title: '', createdAt }
          state.value = await deps.store.update((p) => ({
            currentSessionId: project.sessionId,
            projects: [...p.projects, project],
          }))
          return project.sessionId
        } finally {
          creating.value = false
          inflight = undefined
        }
      })()
      return inflight
    }

    /** Gives an untitled project its title (and source page); a titled one keeps its own. */
    async function name(sessionId: string, title: string, sourceUrl?: string): Promise<void> {
      if (!title) return
      state.value = await deps.store.update((p) => ({
        ...p,
        projects: p.projects.map((x) =>
          x.sessionId === sessionId && !x.title
            ? { ...x, title, ...(sourceUrl && { sourceUrl }) }
            : x,
        ),
      }))
    }

    return {
      projects,
      current,
      chat,
      creating,
      newProject,
      async select(sessionId: string) {
        state.value = await deps.store.update((p) => ({ ...p, currentSessionId: sessionId }))
      },
      async ensureSession(named?: ProjectName) {
        // Not loaded yet (a menu's intent at start-up): load now, so the chat exists on return.
        if (!currentId.peek()) state.value = await deps.store.getValue()
        const shown = current.peek()
        const title = named && titleFrom(named.title)
        if (!title) return shown?.sessionId ?? newProject()
        const reuse = shown && (!named.fresh || !shown.title)
        const sessionId = reuse ? shown.sessionId : await newProject()
        await name(sessionId, title, named.sourceUrl)
        return sessionId
      },
      nameAfter: (sessionId: string, text: string) => name(sessionId, titleFrom(text)),
      async claimUrl() {
        const id = currentId.peek()
        if (!id) throw clientError('not_found', 'No project yet.')
        return (await deps.api.claim(id)).url
      },
    }
  },
)
