import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { AppState } from './app-state.ts'

/** The app's models, built once per page by `createAppState` and shared by every component. */
export const AppContext = createContext<AppState | null>(null)

export function useApp(): AppState {
  const app = useContext(AppContext)
  if (!app) throw new Error('useApp outside <App>')
  return app
}
