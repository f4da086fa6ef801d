/**
 * Watches a turn for silence. Calls `onStillWorking(silentForMs)` after every `intervalMs` without
 * real output, and `onTimeout()` once when the silence reaches `timeoutMs`. Heartbeats are not
 * output: only `activity()` resets the clock. `activity()` runs for every upstream event, so it
 * only notes the time; the one timer looks at it when it fires and sets itself for what is left.
 */
export class SilenceWatch {
  private readonly intervalMs: number
  private readonly timeoutMs: number
  private readonly onStillWorking: (silentForMs: number) => void
  private readonly onTimeout: () => void
  private lastActivity = Date.now()
  private nextNotice: number
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
    this.nextNotice = this.lastActivity + this.intervalMs
    this.schedule(Date.now())
  }

  activity(): void {
    if (this.stopped) return
    this.lastActivity = Date.now()
    this.nextNotice = this.lastActivity + this.intervalMs
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private schedule(now: number): void {
    const due = Math.min(this.nextNotice, this.lastActivity + this.timeoutMs)
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - now))
  }

  private tick(): void {
    if (this.stopped) return
    const now = Date.now()
    const silentFor = now - this.lastActivity
    if (silentFor >= this.timeoutMs) {
      this.stop()
      this.onTimeout()
      return
    }
    if (now >= this.nextNotice) {
      this.onStillWorking(silentFor)
      this.nextNotice = now + this.intervalMs
    }
    this.schedule(now)
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
