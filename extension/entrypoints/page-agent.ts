import '../utils/zod-jitless.ts'
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script'
import { initI18n } from '../utils/i18n.ts'
import { installPageAgent } from '../page/page-agent.ts'

// Injected into a tab by the background (scripting.executeScript under activeTab), never listed
// in the manifest: PageReel reads no page until the user asks it to.
export default defineUnlistedScript(() => {
  void initI18n().catch(() => {})
  installPageAgent(window, document)
})
