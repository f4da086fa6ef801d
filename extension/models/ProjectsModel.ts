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
  /** The current project's session, creating the first one on demand. */
  ensureSession(): Promise<string>
  /** The worker's claim link that opens the project in NemoVideo's editor. */
  claimUrl(): Promise<string>
  /** Names an untitled project after its first message. */
  nameAfter(sessionId: string, text: string): Promise<void>
}

/** Project titles made from a message stop here. */
const TITLE_MAX = 40

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

    return {
      projects,
      current,
      chat,
      creating,
      newProject,
      async select(sessionId: string) {
        state.value = await deps.store.update((p) => ({ ...p, currentSessionId: sessionId }))
      },
      async ensureSession() {
        const shown = currentId.peek()
        if (shown) return shown
        // Not loaded yet (a menu's intent at start-up): load now, so the chat exists on return.
        state.value = await deps.store.getValue()
        return currentId.peek() ?? newProject()
      },
      async nameAfter(sessionId: string, text: string) {
        const oneLine = text.replace(/\s+/g, ' ').trim()
        const title = oneLine.length > TITLE_MAX ? `${oneLine.slice(0, TITLE_MAX - 1)}…` : oneLine
        if (!title) return
        state.value = await deps.store.update((p) => ({
          ...p,
          projects: p.projects.map((x) =>
            x.sessionId === sessionId && !x.title ? { ...x, title } : x,
          ),
        }))
      },
      async claimUrl() {
        const id = currentId.peek()
        if (!id) throw clientError('not_found', 'No project yet.')
        return (await deps.api.claim(id)).url
      },
    }
  },
)
