/**
 * Watches a turn for silence. Calls `onStillWorking(silentForMs)` after every `intervalMs` without
 * real output, and `onTimeout()` once when the silence reaches `timeoutMs`. Heartbeats are not
 * output: only `activity()` resets the clock.
 */
export class SilenceWatch {
  private readonly intervalMs: number
  private readonly timeoutMs: number
  private readonly onStillWorking: (silentForMs: number) => void
  private readonly onTimeout: () => void
  private lastActivity = Date.now()
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false

  constructor(options: {
    intervalMs: number
    timeoutMs: number
    onStillWorking: (silentForMs: number) => void
    onTimeout: () => void
  }) {
    this.intervalMs = options.intervalMs
    this.timeoutMs = options.timeoutMs
    this.onStillWorking = options.onStillWorking
    this.onTimeout = options.onTimeout
    this.schedule()
  }

  activity(): void {
    if (this.stopped) return
    this.lastActivity = Date.now()
    this.schedule()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private schedule(): void {
    clearTimeout(this.timer)
    const silentFor = Date.now() - this.lastActivity
    const untilTimeout = this.timeoutMs - silentFor
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(this.intervalMs, untilTimeout)))
  }

  private tick(): void {
    if (this.stopped) return
    const silentFor = Date.now() - this.lastActivity
    if (silentFor >= this.timeoutMs) {
      this.stop()
      this.onTimeout()
      return
    }
    this.onStillWorking(silentFor)
    this.schedule()
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
