/** How loud the preview plays: the person's choice, remembered by the player's model. */
export interface SoundLevel {
  muted: boolean
  /** 0-1. */
  volume: number
}

/** Seconds for a new level to settle: short enough to feel instant, long enough not to click. */
const SETTLE_S = 0.015

/** The gain a level plays at: 0 when muted, else the volume (clamped to 0-1). */
export function gainOf(level: SoundLevel): number {
  if (level.muted) return 0
  return Number.isFinite(level.volume) ? Math.min(1, Math.max(0, level.volume)) : 1
}

/**
 * The preview's last node before the speakers: every source of the mix goes through this one
 * gain, so a mute or a new volume applies at once to the sound already playing (no new mix, no
 * restart of the clock the picture follows).
 */
export function createSoundOutput(ctx: BaseAudioContext, level: SoundLevel) {
  const gain = ctx.createGain()
  let target = gainOf(level)
  gain.gain.value = target
  gain.connect(ctx.destination)
  return {
    /** Where sources connect. */
    input: gain as AudioNode,
    /** The gain the output is at, or settling to. */
    get gain(): number {
      return target
    },
    set(next: SoundLevel): void {
      target = gainOf(next)
      gain.gain.cancelScheduledValues(ctx.currentTime)
      gain.gain.setTargetAtTime(target, ctx.currentTime, SETTLE_S)
    },
  }
}

export type SoundOutput = ReturnType<typeof createSoundOutput>
