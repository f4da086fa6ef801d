import { useMemo, useState } from 'preact/hooks'
import { browser } from 'wxt/browser'
import { DEFAULT_WEB_BASE_URL } from '../../../shared/errors/table.ts'
import { OptionsModel, type Notice, type OptionsDeps } from '../../models/OptionsModel.ts'
import type { WorkerClient } from '../../utils/api/index.ts'
import { currentLang, t } from '../../utils/i18n.ts'
import { resetInstallation, setRegistrationCode } from '../../utils/installation.ts'
import { Settings, settingsItem, type UiLanguage } from '../../utils/storage.ts'
import { DEFAULT_WORKER_URL, isAllowedWorkerUrl } from '../../utils/worker-url.ts'
import { RenderAudioSection } from './RenderAudioSection.tsx'

/** The platform side of the options model: the worker, storage, the installation, permissions. */
function optionsDeps(api: OptionsDeps['api']): OptionsDeps {
  const all = { origins: ['<all_urls>'] }
  return {
    api,
    settings: settingsItem,
    installation: { reset: resetInstallation, setRegistrationCode },
    hostAccess: {
      granted: () => browser.permissions.contains(all),
      request: () => browser.permissions.request(all),
    },
    defaultWorkerUrl: DEFAULT_WORKER_URL,
    isAllowedWorkerUrl,
    parseWorkerUrl: (value) => {
      const parsed = Settings.shape.workerUrl.safeParse(value)
      return parsed.success ? parsed.data : undefined
    },
  }
}

/** The options page: worker URL, language, the user's own API token, page access, reset. */
export function OptionsApp({ api }: { api: WorkerClient }) {
  const model = useMemo(() => new OptionsModel(optionsDeps(api)), [api])
  return (
    <main lang={currentLang() === 'zh' ? 'zh-CN' : 'en'}>
      <h1>{t('opt_title')}</h1>
      <GeneralSection model={model} />
      <AccountSection model={model} />
      <RenderAudioSection />
      <HostAccessSection model={model} />
    </main>
  )
}

function NoticeLine({ notice, role }: { notice: Notice; role: 'status' | 'alert' }) {
  if (!notice) return null
  return (
    <p class={`status ${notice.kind}`} role={role}>
      {t(notice.key, notice.subs)}
    </p>
  )
}

function GeneralSection({ model }: { model: OptionsModel }) {
  return (
    <section>
      <h2>{t('opt_general')}</h2>
      <label for="worker-url">{t('opt_worker_url')}</label>
      <input
        id="worker-url"
        type="url"
        value={model.workerUrl.value}
        onInput={(e) => model.editWorkerUrl(e.currentTarget.value)}
      />
      <p class="help">{t('opt_worker_url_help', [DEFAULT_WORKER_URL])}</p>
      <div class="row">
        <button type="button" onClick={() => void model.saveWorkerUrl()}>
          {t('opt_save')}
        </button>
        <button type="button" onClick={() => void model.resetWorkerUrl()}>
          {t('opt_reset_default')}
        </button>
      </div>
      <NoticeLine notice={model.generalNotice.value} role="status" />
      <label for="ui-language">{t('opt_language')}</label>
      <select
        id="ui-language"
        value={model.language.value}
        onChange={(e) => void model.setLanguage(e.currentTarget.value as UiLanguage)}
      >
        <option value="auto">{t('opt_language_auto')}</option>
        <option value="en">{t('opt_language_en')}</option>
        <option value="zh">{t('opt_language_zh')}</option>
      </select>
    </section>
  )
}

function AccountSection({ model }: { model: OptionsModel }) {
  // What is typed stays in the view: the token is sent once and kept nowhere in the extension.
  const [token, setToken] = useState('')
  const [code, setCode] = useState('')
  const [clearLocal, setClearLocal] = useState(false)
  const info = model.info.value
  const busy = model.busy.value

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
      {model.needsCode.value && (
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
            <button
              type="button"
              disabled={busy || !code.trim()}
              onClick={() => {
                setCode('')
                void model.sendRegistrationCode(code)
              }}
            >
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
        <button
          type="button"
          disabled={busy || !token.trim()}
          onClick={() => {
            // The field is emptied at once.
            setToken('')
            void model.sendToken(token)
          }}
        >
          {t('opt_token_send')}
        </button>
        {info?.tokenKind === 'user' && (
          <button type="button" disabled={busy} onClick={() => void model.removeToken()}>
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
          onClick={() => void model.resetInstallation(clearLocal)}
        >
          {t('opt_reset_installation')}
        </button>
      </div>
      <NoticeLine notice={model.accountNotice.value} role="alert" />
    </section>
  )
}

function HostAccessSection({ model }: { model: OptionsModel }) {
  return (
    <section>
      <h2>{t('opt_host_access')}</h2>
      <p class="help">{t('opt_host_access_help')}</p>
      {model.hostAccess.value ? (
        <p class="status ok">{t('opt_host_access_granted')}</p>
      ) : (
        <button type="button" onClick={() => void model.requestHostAccess()}>
          {t('opt_host_access_grant')}
        </button>
      )}
    </section>
  )
}
