import { signal } from '@preact/signals'
import { started } from '../app/start-gate.ts'
import { loadErrorTable } from './error-table.ts'
import type { ErrorNoticeProps } from './ErrorNoticeView.tsx'

type View = (typeof import('./ErrorNoticeView.tsx'))['ErrorNoticeView']

const view = signal<View | undefined>(undefined, { name: 'errorNoticeView' })
let loading: Promise<View> | undefined

/**
 * Loads the full notice (its actions, with the error table) once. Neither is part of the popup's
 * first paint (issue 14's budget): both load once the chat is on screen (start-gate.ts), long
 * before a request can fail, and a notice shown earlier re-renders when they arrive.
 */
export function loadErrorNotice(): Promise<View> {
  loading ??= Promise.all([import('./ErrorNoticeView.tsx'), loadErrorTable()]).then(
    ([m]) => (view.value = m.ErrorNoticeView),
    (err: unknown) => {
      loading = undefined
      throw err
    },
  )
  return loading
}

/**
 * An error in the UI language with what the user can do about it (ErrorNoticeView.tsx); until
 * that has loaded, the worker's own message.
 */
export function ErrorNotice(props: ErrorNoticeProps) {
  const View = view.value
  if (View) return <View {...props} />
  void loadErrorNotice().catch(() => undefined)
  const { error, subject } = props
  return (
    <div class="notice notice-error" role="alert">
      <p class="notice-text">{subject ? `${subject}: ${error.message}` : error.message}</p>
    </div>
  )
}

void started.then(() => loadErrorNotice().catch(() => undefined))
