/**
 * Memory of a process from /proc (Linux): find workerd among this process's descendants, read its
 * resident set, and reset its high-water mark so a later VmHWM is the peak of one measurement.
 * @module
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'

async function stat(pid: number): Promise<{ comm: string; ppid: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8')
    // comm is in parentheses and may hold spaces: split after its closing one.
    const close = text.lastIndexOf(')')
    const comm = text.slice(text.indexOf('(') + 1, close)
    const ppid = Number(text.slice(close + 2).split(' ')[1])
    return { comm, ppid }
  } catch {
    return undefined
  }
}

/** Pids of processes named `name` that descend from `root` (this process by default). */
export async function descendantsNamed(name: string, root = process.pid): Promise<number[]> {
  const parents = new Map<number, number>()
  const names = new Map<number, string>()
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const s = await stat(pid)
    if (!s) continue
    parents.set(pid, s.ppid)
    names.set(pid, s.comm)
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === root) return true
    return false
  }
  return [...names].filter(([pid, comm]) => comm === name && descends(pid)).map(([pid]) => pid)
}

/** VmRSS and VmHWM in bytes. */
export async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/** Resets VmHWM to the current RSS (`echo 5 > clear_refs`); false when the kernel refuses. */
export async function resetPeak(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** CPU time (user + system) the process has used so far, in ms (USER_HZ = 100 on Linux). */
export async function cpuMsOf(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // After the comm: state is field 0 here, utime 11, stime 12.
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** The whole machine's CPU time so far (/proc/stat), busy and in all, over every CPU, in ticks. */
export async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!
  // cpu  user nice system idle iowait irq softirq steal (guest time is already in user).
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const total = ticks.reduce((a, b) => a + b, 0)
  return { busy: total - ticks[3]! - ticks[4]!, total }
}

/** The share of the machine's CPU that was busy between two `machineCpu()` readings, 0-1. */
export function busyShare(
  from: { busy: number; total: number },
  to: { busy: number; total: number },
): number {
  const total = to.total - from.total
  return total > 0 ? (to.busy - from.busy) / total : 0
}

/** CPU time (user + system) the processes have used so far, together, in ms. */
export async function cpuMsOfAll(pids: number[]): Promise<number> {
  return (await Promise.all(pids.map(cpuMsOf))).reduce((a, b) => a + b, 0)
}

/**
 * Samples, every `everyMs` until stopped, the machine's CPU and the CPU time of `pids`, and gives
 * the busiest `windowMs` of each: the machine's busy share (0-1 of all CPUs) and the processes'
 * CPU time over wall time (1 = one core). A burst that saturates for a second shows here even when
 * the average over a long run does not.
 */
export function sampleBusiest(pids: number[], everyMs = 250, windowMs = 1000) {
  const samples: Array<{ at: number; cpu: number; machine: { busy: number; total: number } }> = []
  let running = true
  const read = async () => ({
    at: performance.now(),
    cpu: await cpuMsOfAll(pids),
    machine: await machineCpu(),
  })
  const loop = (async () => {
    while (running) {
      samples.push(await read())
      await new Promise((r) => setTimeout(r, everyMs))
    }
    samples.push(await read())
  })()
  return {
    async stop(): Promise<{ machine: number; processes: number }> {
      running = false
      await loop
      let machine = 0
      let processes = 0
      for (const [i, a] of samples.entries()) {
        const b = samples.slice(i + 1).find((s) => s.at - a.at >= windowMs)
        if (!b) break
        machine = Math.max(machine, busyShare(a.machine, b.machine))
        processes = Math.max(processes, (b.cpu - a.cpu) / (b.at - a.at))
      }
      return { machine, processes }
    },
  }
}

/**
 * wrangler dev's two workerd processes for `workerUrl`: its dev proxy, which holds the public port
 * (`entry=` on its command line), and the one running the worker, the proxy's sibling (so another
 * wrangler dev's workerd, such as the chat bench's baseline, is never counted as this worker).
 */
export async function workerdRoles(
  workerUrl: string,
): Promise<{ proxy: number[]; worker: number[] }> {
  const port = new URL(workerUrl).port
  const proxy: number[] = []
  for (const pid of await descendantsNamed('workerd')) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8')
    if (cmdline.includes(`entry=127.0.0.1:${port}`)) proxy.push(pid)
  }
  const parent = proxy[0] === undefined ? undefined : (await stat(proxy[0]))?.ppid
  const siblings = parent === undefined ? [] : await descendantsNamed('workerd', parent)
  return { proxy, worker: siblings.filter((pid) => !proxy.includes(pid)) }
}
