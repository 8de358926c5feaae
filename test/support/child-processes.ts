// Servers that tests start as child processes (sqld, the Node entry) must not outlive the test
// process: a leftover would keep its port and files, and pile up over many runs.
//  - `track(child)` kills the child when this process exits: normally, on an uncaught error, or on
//    SIGTERM/SIGINT/SIGHUP (how vitest stops a fork, how Ctrl-C stops a run).
//  - A process killed with SIGKILL runs no handler, so every tracked child is also written down
//    in a pid file; the next test process that tracks a child reaps the children of dead owners
//    (and deletes the temp directory they were given).
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const REGISTRY = join(tmpdir(), 'earshot-test-children')
const live = new Map<ChildProcess, string | undefined>() // child → its temp directory
let installed = false

function killAll(): void {
  for (const [child, dir] of live) {
    try {
      child.kill('SIGKILL')
    } catch {}
    forget(child)
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', killAll)
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll()
      // Then die of the same signal, as this process would have without the handler.
      process.removeListener(signal, onSignal)
      process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
  reapOrphans()
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Kills children left behind by test processes that died without cleaning up. */
function reapOrphans(): void {
  mkdirSync(REGISTRY, { recursive: true })
  for (const name of readdirSync(REGISTRY)) {
    const path = join(REGISTRY, name)
    try {
      const { pid, owner, command, dir } = JSON.parse(readFileSync(path, 'utf8')) as {
        pid: number
        owner: number
        command: string
        dir?: string
      }
      if (isAlive(owner)) continue
      if (dir) rmSync(dir, { recursive: true, force: true })
      // The pid may have been reused since: only kill it if it still runs the same program.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]
      if (cmdline === command) process.kill(pid, 'SIGKILL')
    } catch {}
    rmSync(path, { force: true })
  }
}

function forget(child: ChildProcess): void {
  live.delete(child)
  if (child.pid) rmSync(join(REGISTRY, `${child.pid}.json`), { force: true })
}

/**
 * Kills `child` (started from `command`) with this process at the latest, and then deletes `dir`
 * if given; forgets it once it has exited (deleting `dir` is then the caller's job).
 */
export function track(child: ChildProcess, command: string, dir?: string): void {
  install()
  if (!child.pid) return
  live.set(child, dir)
  writeFileSync(
    join(REGISTRY, `${child.pid}.json`),
    JSON.stringify({ pid: child.pid, owner: process.pid, command, dir }),
  )
  child.once('exit', () => forget(child))
}
