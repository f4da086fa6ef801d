import '../../utils/zod-jitless.ts'
import { render } from 'preact'
import { initI18n } from '../../utils/i18n.ts'
import { getWorkerClient } from '../../utils/installation.ts'
import { OptionsApp } from './OptionsApp.tsx'

void initI18n().finally(() => {
  document.documentElement.lang = navigator.language
  render(<OptionsApp api={getWorkerClient()} />, document.getElementById('app')!)
})
