import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'

/** A child process started in its own process group, so stopping it stops everything it spawned. */
export interface GroupProcess {
  readonly child: ChildProcess
  /** Why the process is no longer running, or undefined while it runs. */
  exited(): string | undefined
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(lines?: number): string
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>
}

const running = new Set<GroupProcess>()

/**
 * Starts `command` detached (a new process group) with its output kept in memory and, when
 * `logFile` is given, appended to that file.
 */
export function startGroup(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile?: string } = {},
): GroupProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log: WriteStream | undefined = options.logFile
    ? createWriteStream(options.logFile, { flags: 'a' })
    : undefined
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    log?.write(chunk)
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    if (lines.length > 400) lines.splice(0, lines.length - 400)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exitReason: string | undefined
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exitReason = `exited with ${signal ?? code}`
      resolve()
    })
    child.on('error', (error) => {
      exitReason = `failed to start: ${error.message}`
      resolve()
    })
  })
  const proc: GroupProcess = {
    child,
    exited: () => exitReason,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    async stop(graceMs = 5000) {
      running.delete(proc)
      if (exitReason === undefined && child.pid !== undefined) {
        signalGroup(child.pid, 'SIGTERM')
        const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs)
        await exitedPromise
        clearTimeout(timer)
      }
      // Grandchildren (workerd under wrangler) may outlive their parent: sweep the group.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL')
      log?.end()
    },
  }
  running.add(proc)
  return proc
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // The group is already gone.
  }
}

/** Stops every group this process started and has not stopped yet (for exit and crash paths). */
export async function stopAllGroups(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop(2000)))
}

let hooked = false
/** Kills the remaining groups synchronously if this process exits without cleaning up. */
export function killGroupsOnExit(): void {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const p of running) if (p.child.pid !== undefined) signalGroup(p.child.pid, 'SIGKILL')
  })
}
