import { useEffect, useState } from 'preact/hooks'
import { renderAudioItem } from '../../render/local-renders-item.ts'
import type { AudioChoice } from '../../render/render-messages.ts'
import { t } from '../../utils/i18n.ts'

/** The sound codec of videos exported on this device, with the trade-off in words. */
export function RenderAudioSection() {
  const [choice, setChoice] = useState<AudioChoice>('auto')
  useEffect(() => void renderAudioItem.getValue().then(setChoice), [])
  const change = async (value: AudioChoice) => {
    setChoice(value)
    await renderAudioItem.setValue(value)
  }
  return (
    <section>
      <h2>{t('opt_render_audio_title')}</h2>
      {(['auto', 'mp3'] as const).map((value) => (
        <label key={value} class="row">
          <input
            type="radio"
            name="render-audio"
            value={value}
            checked={choice === value}
            onChange={() => void change(value)}
          />
          {t(value === 'auto' ? 'opt_render_audio_auto' : 'opt_render_audio_mp3')}
        </label>
      ))}
      <p class="help">{t('opt_render_audio_help')}</p>
    </section>
  )
}
