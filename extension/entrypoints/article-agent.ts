import '../utils/zod-jitless.ts'
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script'
import { initI18n } from '../utils/i18n.ts'
import { installArticleAgent } from '../page/article-agent.ts'

// Injected by the background for "Make video from this article" only (activeTab + scripting).
export default defineUnlistedScript(() => {
  void initI18n().catch(() => {})
  installArticleAgent(window, document)
})
