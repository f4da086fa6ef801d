/** What the user's message asks for: chat, export, credits, state or upload. */
export { Intent, routeIntent, tokenize } from './router.ts'
