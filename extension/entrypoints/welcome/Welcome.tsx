import { t } from '../../utils/i18n.ts'
import { DemoPlayer } from './DemoPlayer.tsx'
import { WAYS } from './ways.ts'

/**
 * The first-run page: what PageReel does, a 20-second demo video of what it makes (played by
 * the preview's own compositor) and the three ways in (an image, a selection, the page); in the
 * UI language (English or Chinese).
 */
export function Welcome() {
  return (
    <main class="welcome">
      <h1>{t('welcome_title')}</h1>
      <p class="lead">{t('welcome_lead')}</p>
      <DemoPlayer />
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
