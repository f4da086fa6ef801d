import { useEffect, useState } from 'preact/hooks'
import { browser } from 'wxt/browser'
import type { InstallationInfo } from '../../../shared/api/index.ts'
import { DEFAULT_WEB_BASE_URL } from '../../../shared/errors/table.ts'
import { ApiRequestError, type WorkerClient } from '../../utils/api/index.ts'
import { currentLang, onLanguageChange, t } from '../../utils/i18n.ts'
import { resetInstallation, setRegistrationCode } from '../../utils/installation.ts'
import { Settings, settingsItem, type UiLanguage } from '../../utils/storage.ts'
import { DEFAULT_WORKER_URL, isAllowedWorkerUrl } from '../../utils/worker-url.ts'
import { RenderAudioSection } from './RenderAudioSection.tsx'

type Notice = { kind: 'ok' | 'error'; text: string } | undefined

const errorText = (err: unknown) =>
  t('opt_error', [err instanceof Error ? err.message : String(err)])

/** The options page: worker URL, language, the user's own API token, page access, reset. */
export function OptionsApp({ api }: { api: WorkerClient }) {
  const [, rerender] = useState(0)
  useEffect(() => onLanguageChange(() => rerender((n) => n + 1)), [])
  return (
    <main lang={currentLang() === 'zh' ? 'zh-CN' : 'en'}>
      <h1>{t('opt_title')}</h1>
      <GeneralSection />
      <AccountSection api={api} />
      <RenderAudioSection />
      <HostAccessSection />
    </main>
  )
}

function GeneralSection() {
  const [url, setUrl] = useState('')
  const [lang, setLang] = useState<UiLanguage>('auto')
  const [notice, setNotice] = useState<Notice>()
  useEffect(() => {
    void settingsItem.getValue().then((s) => {
      setUrl(s.workerUrl ?? DEFAULT_WORKER_URL)
      setLang(s.uiLanguage)
    })
  }, [])

  const saveUrl = async (value: string) => {
    const parsed = Settings.shape.workerUrl.safeParse(value.trim())
    if (!parsed.success || !parsed.data)
      return setNotice({ kind: 'error', text: t('opt_worker_url_invalid') })
    // The installation key goes to this URL: https, or plain http to this machine only.
    if (!isAllowedWorkerUrl(parsed.data))
      return setNotice({ kind: 'error', text: t('opt_worker_url_insecure') })
    const workerUrl = parsed.data === DEFAULT_WORKER_URL ? undefined : parsed.data
    await settingsItem.update((s) => ({ ...s, workerUrl }))
    setNotice({ kind: 'ok', text: t('opt_saved') })
  }
  const resetUrl = async () => {
    await settingsItem.update((s) => ({ ...s, workerUrl: undefined }))
    setUrl(DEFAULT_WORKER_URL)
    setNotice({ kind: 'ok', text: t('opt_saved') })
  }
  const changeLang = async (value: UiLanguage) => {
    setLang(value)
    await settingsItem.update((s) => ({ ...s, uiLanguage: value }))
  }

  return (
    <section>
      <h2>{t('opt_general')}</h2>
      <label for="worker-url">{t('opt_worker_url')}</label>
      <input
        id="worker-url"
        type="url"
        value={url}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <p class="help">{t('opt_worker_url_help', [DEFAULT_WORKER_URL])}</p>
      <div class="row">
        <button type="button" onClick={() => void saveUrl(url)}>
          {t('opt_save')}
        </button>
        <button type="button" onClick={() => void resetUrl()}>
          {t('opt_reset_default')}
        </button>
      </div>
      {notice && (
        <p class={`status ${notice.kind}`} role="status">
          {notice.text}
        </p>
      )}
      <label for="ui-language">{t('opt_language')}</label>
      <select
        id="ui-language"
        value={lang}
        onChange={(e) => void changeLang(e.currentTarget.value as UiLanguage)}
      >
        <option value="auto">{t('opt_language_auto')}</option>
        <option value="en">{t('opt_language_en')}</option>
        <option value="zh">{t('opt_language_zh')}</option>
      </select>
    </section>
  )
}

function AccountSection({ api }: { api: WorkerClient }) {
  const [info, setInfo] = useState<InstallationInfo | null>()
  const [token, setToken] = useState('')
  const [clearLocal, setClearLocal] = useState(false)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<Notice>()
  // A private deployment refused to register this browser without its code: ask for it.
  const [needsCode, setNeedsCode] = useState(false)
  const [code, setCode] = useState('')
  const refresh = () =>
    api.getInstallation().then(
      (value) => {
        setInfo(value)
        setNeedsCode(false)
      },
      (err: unknown) => {
        setInfo(null)
        if (err instanceof ApiRequestError && err.code === 'registration_code_required') {
          setNeedsCode(true)
          setNotice({ kind: 'error', text: t('opt_registration_code_needed') })
        } else setNotice({ kind: 'error', text: errorText(err) })
      },
    )
  useEffect(() => void refresh(), [])

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true)
    setNotice(undefined)
    try {
      await work()
      setNotice({ kind: 'ok', text: done })
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    } finally {
      setBusy(false)
      await refresh()
    }
  }
  const sendToken = () => {
    const value = token.trim()
    // The field is emptied at once: the token is sent once and kept nowhere in the extension.
    setToken('')
    if (value) void run(() => api.setApiToken(value), t('opt_token_sent'))
  }

  const sendCode = () => {
    const value = code.trim()
    setCode('')
    // The next call without a key registers, now with the code.
    if (value) void run(async () => {
      await setRegistrationCode(value)
      await api.getInstallation()
    }, t('opt_registration_code_done'))
  }

  const status =
    info === undefined
      ? ''
      : info === null
        ? t('opt_token_unknown')
        : info.tokenKind === 'user'
          ? t('opt_token_set')
          : t('opt_token_anonymous')

  return (
    <section>
      <h2>{t('opt_account')}</h2>
      <p class="status" role="status" data-testid="token-status">
        {status}
      </p>
      {needsCode && (
        <>
          <label for="registration-code">{t('opt_registration_code')}</label>
          <input
            id="registration-code"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <p class="help">{t('opt_registration_code_help')}</p>
          <div class="row">
            <button type="button" disabled={busy || !code.trim()} onClick={sendCode}>
              {t('opt_registration_code_send')}
            </button>
          </div>
        </>
      )}
      {info?.team && <p class="help">{t('opt_token_team')}</p>}
      {info?.needsApiToken && (
        <p class="status error" role="alert">
          {t('opt_token_needed')}
        </p>
      )}
      {info?.tokenKind === 'anonymous' && info.registerUrl && (
        <p>
          <a href={info.registerUrl} target="_blank" rel="noreferrer">
            {t('opt_register_link')}
          </a>
        </p>
      )}
      <label for="api-token">{t('opt_token')}</label>
      <input
        id="api-token"
        type="password"
        autocomplete="off"
        spellcheck={false}
        placeholder={t('opt_token_placeholder')}
        value={token}
        onInput={(e) => setToken(e.currentTarget.value)}
      />
      <p class="help">
        {t('opt_token_help')}{' '}
        <a href={DEFAULT_WEB_BASE_URL} target="_blank" rel="noreferrer">
          {t('opt_token_link')}
        </a>
      </p>
      <div class="row">
        <button type="button" disabled={busy || !token.trim()} onClick={sendToken}>
          {t('opt_token_send')}
        </button>
        {info?.tokenKind === 'user' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => api.removeApiToken(), t('opt_token_removed'))}
          >
            {t('opt_token_remove')}
          </button>
        )}
      </div>
      <p class="help">{t('opt_reset_help')}</p>
      <label class="check">
        <input
          type="checkbox"
          checked={clearLocal}
          onChange={(e) => setClearLocal(e.currentTarget.checked)}
        />
        {t('opt_reset_clear_local')}
      </label>
      <div class="row">
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => resetInstallation({ clearLocal }), t('opt_reset_done'))}
        >
          {t('opt_reset_installation')}
        </button>
      </div>
      {notice && (
        <p class={`status ${notice.kind}`} role="alert">
          {notice.text}
        </p>
      )}
    </section>
  )
}

function HostAccessSection() {
  const [granted, setGranted] = useState(false)
  useEffect(() => {
    void browser.permissions
      .contains({ origins: ['<all_urls>'] })
      .then(setGranted, () => setGranted(false))
  }, [])
  // permissions.request runs synchronously in the click: browsers require the user's gesture.
  const ask = () =>
    void browser.permissions.request({ origins: ['<all_urls>'] }).then(setGranted, () => {})
  return (
    <section>
      <h2>{t('opt_host_access')}</h2>
      <p class="help">{t('opt_host_access_help')}</p>
      {granted ? (
        <p class="status ok">{t('opt_host_access_granted')}</p>
      ) : (
        <button type="button" onClick={ask}>
          {t('opt_host_access_grant')}
        </button>
      )}
    </section>
  )
}
