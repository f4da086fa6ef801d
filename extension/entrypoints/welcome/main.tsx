import { render } from 'preact'
import { currentLang, initI18n } from '../../utils/i18n.ts'
import { Welcome } from './Welcome.tsx'

// The first-run page: opened once by the background when the extension is installed.
void initI18n().finally(() => {
  document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en'
  render(<Welcome />, document.getElementById('app')!)
})
