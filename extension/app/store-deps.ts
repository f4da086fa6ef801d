import type { AppDeps } from './app-state.ts'
import { getBlob } from '../utils/blob-store.ts'
import {
  chatItem,
  jobsItem,
  pendingExportsItem,
  pendingIntentItem,
  projectsItem,
} from '../utils/storage.ts'
import {
  addTrayImages,
  clearTray,
  getTrayItems,
  getTrayUploadId,
  moveTrayItem,
  removeTrayItem,
  setTrayUploadId,
  watchTray,
} from '../utils/tray.ts'

/** The tray store the UI works on: the items in extension storage, their bytes in IndexedDB. */
export const trayStore: AppDeps['tray'] = {
  get: getTrayItems,
  watch: watchTray,
  remove: removeTrayItem,
  move: moveTrayItem,
  clear: clearTray,
  addImages: addTrayImages,
  getUploadId: getTrayUploadId,
  setUploadId: setTrayUploadId,
}

/** The background's "make video" request left after a context-menu click. */
export const pendingIntent: AppDeps['pendingIntent'] = {
  get: () => pendingIntentItem.getValue(),
  watch: (cb) => pendingIntentItem.watch(cb),
  clear: () => pendingIntentItem.setValue(null),
}

/**
 * Everything of the app that lives in extension storage. The popup, the side panel and the UI
 * tests (over WXT's fake browser storage) all build the app on these same items.
 */
export function storeDeps(): Pick<AppDeps, 'storage' | 'tray' | 'readBlob' | 'pendingIntent'> {
  return {
    storage: {
      chat: chatItem,
      jobs: jobsItem,
      pendingExports: pendingExportsItem,
      projects: projectsItem,
    },
    tray: trayStore,
    readBlob: getBlob,
    pendingIntent,
  }
}
