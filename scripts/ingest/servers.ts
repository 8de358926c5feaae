// The servers `npm run bench:ingest` measures, each in its own child process: the real Node entry
// (worker/entries/node.ts, or intake-only-server.ts with the pipeline paused), the bare ceiling
// (bare-server.ts), and sqld when the run is on a libSQL server over HTTP.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../lib/free-port.js'
import { REPO } from '../lib/node-entry.js'

export { startSqld, type Sqld } from '../../test/support/sqld.js'

/** Where a server keeps its data: an embedded file, or a libSQL server. */
export interface Store {
  url: string
  authToken?: string
}

export interface Server {
  url: string
  pid: number
  child: ChildProcess
  /** Earshot only: the demo project's public key. */
  key?: string
}

export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    let buffer = ''
    const timer = setTimeout(
      () => fail(new Error(`server did not print ${pattern} within ${timeoutMs} ms:\n${buffer}`)),
      timeoutMs,
    )
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = buffer.match(pattern)
      if (match) {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        ok(match)
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before it was ready:\n${buffer}`)))
  })
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((ok) => {
    child.once('exit', () => ok())
    child.kill('SIGTERM')
  })
}

/** CPU ms a process has used so far (Linux /proc; clock ticks are 10 ms). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** The pid of the sqld listening on `port` (its command line names the address), for its CPU time. */
export function sqldPid(port: number): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (args[0]?.endsWith('sqld') && args.includes(`127.0.0.1:${port}`)) return Number(pid)
    } catch {}
  }
  throw new Error(`no sqld process listens on port ${port}`)
}

/** Extra Node flags for the Earshot process (BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []

/**
 * The Node entry as `npm start` runs it, in production mode, with the abuse limits lifted (one
 * client address sends everything here; the limiter itself still runs on every request).
 * `intakeOnly`: intake-only-server.ts instead, whose pipeline waits for `drain()`.
 */
export async function startEarshot(store: Store, opts: { intakeOnly?: boolean } = {}): Promise<Server> {
  const port = await freePort()
  const entry = opts.intakeOnly ? 'scripts/ingest/intake-only-server.ts' : 'worker/entries/node.ts'
  const child = spawn(process.execPath, [...NODE_ARGS, '--import', 'tsx', entry], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: String(port),
      LIBSQL_URL: store.url,
      LIBSQL_AUTH_TOKEN: store.authToken,
      EARSHOT_ENV: 'production',
      PUBLIC_URL: 'https://earshot.example.com', // production refuses to start without it
      EARSHOT_ADMIN_PASSWORD: 'bench-password-not-secret',
      EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE: '100000000',
      EARSHOT_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
      EARSHOT_RATE_LIMIT_REPEATS_PER_10_MIN: '100000000',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stderr!.on('data', (c: Buffer) => process.stderr.write(c))
  const [, key] = await waitForLine(child, /Public key \(demo\)\s+(\S+)/)
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, child, key }
}

/** Intake-only server: runs the pipeline over everything that waits; processed count, wall ms, server CPU ms. */
export async function drain(server: Server): Promise<{ processed: number; ms: number; cpuMs: number }> {
  const cpuBefore = cpuMsOf(server.pid)
  const line = waitForLine(server.child, /DRAINED (\d+) (\d+)/, 600_000)
  server.child.stdin!.write('drain\n')
  const [, processed, ms] = await line
  return { processed: Number(processed), ms: Number(ms), cpuMs: cpuMsOf(server.pid) - cpuBefore }
}

export async function startBare(store: Store): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'scripts/ingest/bare-server.ts'), store.url, store.authToken ?? ''],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stderr!.on('data', (c: Buffer) => process.stderr.write(c))
  const [, port] = await waitForLine(child, /LISTENING (\d+)/)
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, child }
}
