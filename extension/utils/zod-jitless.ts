import { config } from 'zod/mini'

// Extension pages forbid eval (MV3 CSP): without this, zod's first parse probes `new Function`,
// which Chrome reports as a CSP violation on the extension's error page. Import before parsing.
config({ jitless: true })
