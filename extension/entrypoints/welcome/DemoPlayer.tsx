import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import type { PlayerEngine } from '../../preview/player-engine.ts'
import { currentLang, t } from '../../utils/i18n.ts'
import { DEMO_MS, demoStepAt, demoTimeline, type DemoWords } from './demo-draft.ts'
import { loadDemoMedia, type DemoMedia } from './demo-media.ts'
import { WAYS } from './ways.ts'

/** The demo's frame in pixels (16:9); the canvas is scaled to the page's width by CSS. */
const DEMO_SIZE = { width: 960, height: 540 }

/** The words drawn in the video, in the UI language. */
function demoWords(): DemoWords {
  return {
    title: t('welcome_demo_title'),
    steps: WAYS.map((w, i) => t('welcome_demo_step', [i + 1, t(w.title), t(w.menu)])),
  }
}

/**
 * A 20-second video of what PageReel makes, from media shipped with the extension, drawn by the
 * preview's own engine (loaded after first paint, like the panel's player): pictures with pan and
 * zoom, a title and captions in the UI language, music. It waits for a click to play, as a video
 * with sound should; below it, what each part shows.
 */
export function DemoPlayer() {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const engine = useRef<PlayerEngine | null>(null)
  const media = useRef<DemoMedia | null>(null)
  const ready = useSignal(false)
  const failed = useSignal(false)
  const playing = useSignal(false)
  const ms = useSignal(0)
  const lang = currentLang()

  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    let alive = true
    let made: PlayerEngine | null = null
    const demo = loadDemoMedia()
    void Promise.all([import('../../preview/player-engine.ts'), demo])
      .then(([{ createPlayerEngine }, files]) => {
        if (!alive) return
        made = createPlayerEngine({
          canvas,
          media: files.deps,
          describeFailure: () => t('welcome_demo_failed'),
          onFailures: (failures) => (failed.value = failures.length > 0),
          onTime: (now) => (ms.value = now),
          onEnded: () => {
            playing.value = false
            made?.seek(0)
          },
          onFirstFrame: () => canvas.setAttribute('data-first-frame', ''),
        })
        engine.current = made
        media.current = files
        ready.value = true
        // The demo is what this page is for: its sound is mixed now, so play starts at once.
        made.mixAhead()
      })
      .catch(() => {
        // No 2D canvas, or the files or the engine's chunk could not be read.
        if (alive) failed.value = true
      })
    return () => {
      alive = false
      made?.dispose()
      engine.current = null
      void demo.then((files) => files.dispose()).catch(() => {})
    }
  }, [])

  // The draft again when the language changes: the same moment, in the other language's words.
  useEffect(() => {
    const files = media.current
    if (ready.value && files) engine.current?.load(demoTimeline(files.urls, demoWords()), DEMO_SIZE)
  }, [ready.value, lang])

  const toggle = () => {
    const e = engine.current
    if (!e) return
    if (e.playing) e.pause()
    else e.play()
    playing.value = e.playing
  }
  const step = demoStepAt(ms.value)
  return (
    <section class="demo" aria-label={t('welcome_demo')}>
      <div class="demo-stage">
        <canvas
          ref={canvasRef}
          class="demo-canvas"
          width={DEMO_SIZE.width}
          height={DEMO_SIZE.height}
          role="img"
          aria-label={t('welcome_demo_title')}
          onClick={toggle}
        />
        {!playing.value && ready.value && (
          <button type="button" class="demo-big-play" onClick={toggle} tabIndex={-1}>
            ▶
          </button>
        )}
      </div>
      <p class="demo-caption" aria-live="polite">
        {failed.value
          ? t('welcome_demo_failed')
          : step < 0
            ? t('welcome_demo_intro')
            : t(WAYS[step]!.how)}
      </p>
      <div class="demo-bar">
        <button type="button" class="demo-play" onClick={toggle} disabled={!ready.value}>
          {playing.value ? t('welcome_pause') : t('welcome_play')}
        </button>
        <progress max={DEMO_MS} value={ms.value} aria-label={t('welcome_demo')} />
      </div>
    </section>
  )
}
