import { defineParsedItem } from '../utils/parsed-item.ts'
import { LocalRenders } from './local-jobs.ts'
import { AudioChoice } from './render-messages.ts'

/** Exports rendered on this device, beside the cloud jobs (`local:jobs`); the background writes. */
export const localRendersItem = defineParsedItem('local:local-renders', LocalRenders, {
  renders: [],
})

/** The sound codec setting of the export on this device (options page). */
export const renderAudioItem = defineParsedItem('local:render-audio', AudioChoice, 'auto')
