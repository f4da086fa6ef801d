import { useSignal, type ReadonlySignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'

/** The time, ticking every `everyMs` while `active`: for elapsed-time labels only. */
export function useNow(active: boolean, everyMs = 1000): ReadonlySignal<number> {
  const now = useSignal(Date.now())
  useEffect(() => {
    if (!active) return
    now.value = Date.now()
    const timer = setInterval(() => (now.value = Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [active, everyMs])
  return now
}
