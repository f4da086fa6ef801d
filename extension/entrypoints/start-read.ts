import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script'
import { beginStartRead } from '../utils/start-read.ts'

// The first script of popup.html and sidepanel.html (`async`, before the app's module script):
// their start's storage reads go out while the app's modules load (utils/start-read.ts).
export default defineUnlistedScript(() => {
  try {
    beginStartRead()
  } catch {
    // No extension storage here: every item reads itself, as it would without this script.
  }
})
