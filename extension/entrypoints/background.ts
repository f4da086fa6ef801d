import '../utils/zod-jitless.ts'
import { browser } from 'wxt/browser'
import { defineBackground } from 'wxt/utils/define-background'
import { startBackground } from '../background/main.ts'

export default defineBackground({
  // Every listener is registered synchronously inside main, so events that woke the worker
  // (a notification click, an alarm) reach them; see background/main.ts.
  main: () => startBackground(browser),
})
