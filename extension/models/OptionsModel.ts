import { createModel, signal, type ModelConstructor, type ReadonlySignal } from '@preact/signals'
import type { InstallationInfo } from '../../shared/api/index.ts'
import { ApiRequestError, type WorkerClient } from '../utils/api/index.ts'
import type { MessageKey } from '../utils/i18n.ts'
import type { Settings, UiLanguage } from '../utils/storage.ts'

/** A line under a section: what just happened, in the UI language. */
export type Notice = { kind: 'ok' | 'error'; key: MessageKey; subs?: string[] } | null

export interface OptionsDeps {
  api: Pick<WorkerClient, 'getInstallation' | 'setApiToken' | 'removeApiToken'>
  settings: {
    getValue(): Promise<Settings>
    update(fn: (s: Settings) => Settings): Promise<unknown>
  }
  installation: {
    reset(opts: { clearLocal: boolean }): Promise<unknown>
    /** Keeps a private deployment's registration code for the next registration. */
    setRegistrationCode(code: string): Promise<unknown>
  }
  hostAccess: {
    granted(): Promise<boolean>
    /** Must run inside the user's click: browsers require the gesture. */
    request(): Promise<boolean>
  }
  /** The worker URL built in, and whether a URL may receive the installation key. */
  defaultWorkerUrl: string
  isAllowedWorkerUrl(url: string): boolean
  parseWorkerUrl(value: string): string | undefined
}

export interface OptionsModel {
  workerUrl: ReadonlySignal<string>
  language: ReadonlySignal<UiLanguage>
  generalNotice: ReadonlySignal<Notice>
  /** The installation as the worker sees it; undefined while loading, null when unreadable. */
  info: ReadonlySignal<InstallationInfo | null | undefined>
  /** A private deployment refused to register this browser without its code. */
  needsCode: ReadonlySignal<boolean>
  busy: ReadonlySignal<boolean>
  accountNotice: ReadonlySignal<Notice>
  hostAccess: ReadonlySignal<boolean>
  editWorkerUrl(value: string): void
  saveWorkerUrl(): Promise<void>
  resetWorkerUrl(): Promise<void>
  setLanguage(value: UiLanguage): Promise<void>
  /** Sends the user's API token once; it is kept nowhere in the extension. */
  sendToken(token: string): Promise<void>
  removeToken(): Promise<void>
  sendRegistrationCode(code: string): Promise<void>
  resetInstallation(clearLocal: boolean): Promise<void>
  requestHostAccess(): Promise<void>
}

const errorNotice = (err: unknown): Notice => ({
  kind: 'error',
  key: 'opt_error',
  subs: [err instanceof Error ? err.message : String(err)],
})

/** The options page's state: worker URL, language, the account and page access. */
export const OptionsModel: ModelConstructor<OptionsModel, [OptionsDeps]> = createModel(
  (deps: OptionsDeps) => {
    const workerUrl = signal('', { name: 'options.workerUrl' })
    const language = signal<UiLanguage>('auto', { name: 'options.language' })
    const generalNotice = signal<Notice>(null, { name: 'options.generalNotice' })
    const info = signal<InstallationInfo | null | undefined>(undefined, { name: 'options.info' })
    const needsCode = signal(false, { name: 'options.needsCode' })
    const busy = signal(false, { name: 'options.busy' })
    const accountNotice = signal<Notice>(null, { name: 'options.accountNotice' })
    const hostAccess = signal(false, { name: 'options.hostAccess' })

    async function refresh(): Promise<void> {
      try {
        info.value = await deps.api.getInstallation()
        needsCode.value = false
      } catch (err) {
        info.value = null
        if (err instanceof ApiRequestError && err.code === 'registration_code_required') {
          needsCode.value = true
          accountNotice.value = { kind: 'error', key: 'opt_registration_code_needed' }
        } else accountNotice.value = errorNotice(err)
      }
    }

    async function run(work: () => Promise<unknown>, done: MessageKey): Promise<void> {
      busy.value = true
      accountNotice.value = null
      try {
        await work()
        accountNotice.value = { kind: 'ok', key: done }
      } catch (err) {
        accountNotice.value = errorNotice(err)
      } finally {
        busy.value = false
        await refresh()
      }
    }

    void deps.settings.getValue().then((s) => {
      workerUrl.value = s.workerUrl ?? deps.defaultWorkerUrl
      language.value = s.uiLanguage
    })
    void refresh()
    void deps.hostAccess.granted().then(
      (granted) => (hostAccess.value = granted),
      () => (hostAccess.value = false),
    )

    return {
      workerUrl,
      language,
      generalNotice,
      info,
      needsCode,
      busy,
      accountNotice,
      hostAccess,
      editWorkerUrl(value) {
        workerUrl.value = value
      },
      async saveWorkerUrl() {
        const parsed = deps.parseWorkerUrl(workerUrl.peek().trim())
        if (!parsed) {
          generalNotice.value = { kind: 'error', key: 'opt_worker_url_invalid' }
          return
        }
        // The installation key goes to this URL: https, or plain http to this machine only.
        if (!deps.isAllowedWorkerUrl(parsed)) {
          generalNotice.value = { kind: 'error', key: 'opt_worker_url_insecure' }
          return
        }
        const next = parsed === deps.defaultWorkerUrl ? undefined : parsed
        await deps.settings.update((s) => ({ ...s, workerUrl: next }))
        generalNotice.value = { kind: 'ok', key: 'opt_saved' }
      },
      async resetWorkerUrl() {
        await deps.settings.update((s) => ({ ...s, workerUrl: undefined }))
        workerUrl.value = deps.defaultWorkerUrl
        generalNotice.value = { kind: 'ok', key: 'opt_saved' }
      },
      async setLanguage(value) {
        language.value = value
        await deps.settings.update((s) => ({ ...s, uiLanguage: value }))
      },
      async sendToken(token) {
        const value = token.trim()
        if (value) await run(() => deps.api.setApiToken(value), 'opt_token_sent')
      },
      removeToken: () => run(() => deps.api.removeApiToken(), 'opt_token_removed'),
      async sendRegistrationCode(code) {
        const value = code.trim()
        if (!value) return
        // The next call without a key registers, now with the code.
        await run(async () => {
          await deps.installation.setRegistrationCode(value)
          await deps.api.getInstallation()
        }, 'opt_registration_code_done')
      },
      resetInstallation: (clearLocal) =>
        run(() => deps.installation.reset({ clearLocal }), 'opt_reset_done'),
      async requestHostAccess() {
        hostAccess.value = await deps.hostAccess.request().catch(() => hostAccess.peek())
      },
    }
  },
)
