/** What the user's message asks for, and the backend's GUI wording turned into what PageReel does. */
export { Intent, routeIntent, tokenize } from './router.ts'
export { translateGuiWording } from './gui-wording.ts'
