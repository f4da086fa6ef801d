import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { t, type MessageKey } from '../../utils/i18n.ts'

/** The three ways in, each with the menu item a person will see. */
const WAYS: ReadonlyArray<{ id: string; title: MessageKey; how: MessageKey; menu: MessageKey }> = [
  { id: 'image', title: 'welcome_image_title', how: 'welcome_image_how', menu: 'menu_add_image' },
  { id: 'text', title: 'welcome_text_title', how: 'welcome_text_how', menu: 'menu_make_from_text' },
  {
    id: 'page',
    title: 'welcome_page_title',
    how: 'welcome_page_how',
    menu: 'menu_make_from_article',
  },
]

/** The demo's length: each way in is shown for a third of it. */
export const DEMO_MS = 20_000

/**
 * The first-run page: what PageReel does, the three ways in (an image, a selection, the page)
 * and a 20-second demo that walks through them; in the UI language (English or Chinese).
 */
export function Welcome() {
  return (
    <main class="welcome">
      <h1>{t('welcome_title')}</h1>
      <p class="lead">{t('welcome_lead')}</p>
      <Demo />
      <h2>{t('welcome_ways')}</h2>
      <ol class="ways">
        {WAYS.map((w) => (
          <li key={w.id} class={`way way-${w.id}`}>
            <h3>{t(w.title)}</h3>
            <p>{t(w.how)}</p>
            <p class="menu-item" aria-label={t('welcome_menu_label')}>
              {t(w.menu)}
            </p>
          </li>
        ))}
      </ol>
      <p class="next">{t('welcome_next')}</p>
    </main>
  )
}

/** A looping storyboard of the three ways in: 20 seconds, pausable, still without motion. */
function Demo() {
  const started = useSignal(Date.now())
  const now = useSignal(Date.now())
  const paused = useSignal(matchMedia('(prefers-reduced-motion: reduce)').matches)
  useEffect(() => {
    if (paused.value) return
    const timer = setInterval(() => (now.value = Date.now()), 250)
    return () => clearInterval(timer)
  }, [paused.value])
  const elapsed = (now.value - started.value) % DEMO_MS
  const scene = Math.min(WAYS.length - 1, Math.floor((elapsed / DEMO_MS) * WAYS.length))
  const way = WAYS[scene]!
  return (
    <section class="demo" aria-label={t('welcome_demo')}>
      <div class={`demo-stage demo-${way.id}`} aria-live="polite">
        <div class="demo-page" aria-hidden="true">
          <div class="demo-title" />
          <div class="demo-img" />
          <div class="demo-line" />
          <div class="demo-line demo-selected" />
          <div class="demo-line short" />
        </div>
        <div class="demo-menu">
          <span class="demo-step">{`${scene + 1}/${WAYS.length}`}</span> {t(way.menu)}
        </div>
        <p class="demo-caption">{t(way.how)}</p>
      </div>
      <div class="demo-bar">
        <progress max={DEMO_MS} value={elapsed} aria-label={t('welcome_demo')} />
        <button
          type="button"
          onClick={() => {
            if (paused.value) started.value = Date.now() - elapsed
            paused.value = !paused.value
            now.value = Date.now()
          }}
        >
          {paused.value ? t('welcome_play') : t('welcome_pause')}
        </button>
      </div>
    </section>
  )
}
