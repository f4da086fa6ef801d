import preact from '@preact/preset-vite'
import type { Plugin } from 'vite'
import { defineConfig } from 'wxt'

/**
 * The extension validates with zod/mini: the shared schemas are written in the API that zod and
 * zod/mini share, so their bare `zod` import is built as zod/mini here (tree-shaken: about a third
 * of classic zod's size in the popup) while the worker keeps classic zod for its OpenAPI document.
 * The extension's tsconfig maps `zod` to the same types. The extension's unit tests use it too.
 */
export const zodMiniAlias = { find: /^zod$/, replacement: 'zod/mini' }

/**
 * The app's modules and libraries, shared by its pages (see `advancedChunks` below). A library's
 * own folders are told apart from ours: mediabunny's `dist/modules/shared/` is no `shared/` of ours.
 */
const FIRST_PAINT_OWN = /\/extension\/(utils|render|models|components|app)\/|\/shared\//
const FIRST_PAINT_LIBS = /\/node_modules\/(preact|@preact|zod)\//
const firstPaint = (id: string) =>
  id.includes('/node_modules/') ? FIRST_PAINT_LIBS.test(id) : FIRST_PAINT_OWN.test(id)
/**
 * The preview player's modules, with the media caches its first frame reads: one chunk, so the
 * engine a returning user's first frame waits for arrives in one fetch, not four in a row.
 */
const PREVIEW = /\/extension\/preview\/|\/extension\/utils\/(media-cache|uploaded-images)\.ts/
/** What the app loads with `import()`: each stays in its own chunk. */
const LAZY =
  /utils\/api\/(sse|upload|upload-large|xhr-send)\.ts|shared\/errors\/table|shared\/intent|ErrorNoticeView|_locales|utils\/installation\.ts|markdown|app\/(capture-article|encode-check)|utils\/(uploaded-images|preview-sound|media-cache)\.ts|render\/(renderer|encode|fetch-media|audio|output|sized)/

/**
 * The app's stylesheet inlined into popup.html and sidepanel.html (it has no url()): a `<link>` is
 * one more fetch at the popup's start, and the page's module scripts wait for it before they run.
 */
function inlineAppCss(): Plugin {
  return {
    name: 'pagereel:inline-app-css',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) =>
        html.replace(
          /<link rel="stylesheet"[^>]* href="\/(assets\/app-[\w-]+\.css)">/,
          (link, file) => {
            const css = ctx.bundle?.[file as string]
            return css?.type === 'asset' ? `<style>${String(css.source)}</style>` : link
          },
        ),
    },
  }
}

/**
 * PageReel's extension build. Firefox is built as MV3 too (WXT defaults it to MV2), and the manifest
 * asks only for what the features use: host access is optional and requested on a user gesture.
 */
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  manifestVersion: 3,
  // Every module imports what it uses; auto-imports would only add a second way (and warnings).
  imports: false,
  vite: () => ({
    plugins: [preact(), inlineAppCss()],
    resolve: { alias: [zodMiniAlias] },
    // Every supported browser preloads modules itself (Chrome 66+, Firefox 115+): no polyfill.
    build: {
      modulePreload: {
        polyfill: false,
        // A lazy chunk's own imports are not preloaded by `<link rel=modulepreload>` tags added at
        // each `import()`: every tag starts a fetch on the main thread while the popup's first
        // paint is being built (about 20 ms of its start-up). import() fetches them itself.
        resolveDependencies: (_file, deps, { hostType }) => (hostType === 'html' ? deps : []),
      },
      // What the popup loads before its first paint goes out as one chunk, not ten small ones that
      // each compress alone (1.8 KB gzip less). Left out: what loads lazily (issue 14's budget).
      // `advancedChunks`, not `codeSplitting`: the script builds (background, page agents) have
      // code splitting off, which ignores this (a warning) but would fail on the other.
      rolldownOptions: {
        output: {
          advancedChunks: {
            groups: [
              { name: 'app', test: (id: string) => firstPaint(id) && !LAZY.test(id) },
              { name: 'preview', test: (id: string) => PREVIEW.test(id) },
            ],
          },
        },
      },
    },
  }),
  zip: {
    // The sources zip (for AMO review) carries the extension's sources, not the worker or secrets.
    excludeSources: [
      '.dev.vars*',
      '.env*',
      '.ci/**',
      'worker/**',
      'test/**',
      'scripts/**',
      'artifacts/**',
      'wrangler.toml',
    ],
  },
  manifest: ({ browser }) => {
    const firefox = browser === 'firefox'
    return {
      name: '__MSG_ext_name__',
      description: '__MSG_ext_description__',
      default_locale: 'en',
      icons: { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 128: 'icons/128.png' },
      action: {
        default_title: '__MSG_ext_name__',
        default_icon: { 16: 'icons/16.png', 32: 'icons/32.png' },
      },
      permissions: [
        'contextMenus',
        'storage',
        // Tray images read from blob:, data: or cookie-protected URLs are kept as bytes.
        'unlimitedStorage',
        'notifications',
        'downloads',
        'alarms',
        'activeTab',
        'scripting',
        // Chrome: the export on this device renders in an offscreen document (Firefox has none).
        ...(firefox ? [] : ['offscreen']),
      ],
      // The MP3 encoder of the export on this device is WebAssembly (LAME).
      content_security_policy: {
        extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
      },
      optional_host_permissions: ['<all_urls>'],
      commands: firefox
        ? {
            _execute_sidebar_action: {
              suggested_key: { default: 'Alt+Shift+Y' },
              description: '__MSG_cmd_open_panel__',
            },
          }
        : {
            'open-side-panel': {
              suggested_key: { default: 'Alt+Shift+Y' },
              description: '__MSG_cmd_open_panel__',
            },
          },
      ...(firefox
        ? {
            browser_specific_settings: {
              // 140/142: the first versions with data_collection_permissions (Firefox's consent UI).
              gecko: {
                id: 'pagereel@pagereel.app',
                strict_min_version: '140.0',
                data_collection_permissions: { required: ['websiteContent'] },
              },
              gecko_android: { strict_min_version: '142.0' },
            },
          }
        : { minimum_chrome_version: '116' }),
    }
  },
})
