// The real Node entry (`worker/entries/node.ts`, what `npm start` runs) as a child process on a
// given libSQL file (or libSQL server URL) and port: for the crash test, the single-writer and
// disk-full tests, and test/support/node-process.ts (processes sharing sqld).
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = resolve(fileURLToPath(import.meta.url), '../../..')

export interface NodeEntryProcess {
  child: ChildProcess
  /** Resolves with the demo project's public key once the server listens; rejects if it exits first. */
  ready: Promise<string>
  /** The address from the start-up banner (known once `ready` resolved): the real port when started with port 0. */
  url(): string
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stdout(): string
  stderr(): string
}

export function spawnNodeEntry(opts: {
  /** 0: a free port chosen by the OS (read it from `url()`). */
  port: number
  /** An embedded database file, or `databaseUrl` for any LIBSQL_URL (e.g. a libSQL server). */
  file?: string
  databaseUrl?: string
  env?: Record<string, string | undefined>
  readyTimeoutMs?: number
}): NodeEntryProcess {
  const databaseUrl = opts.databaseUrl ?? (opts.file !== undefined ? `file:${opts.file}` : undefined)
  if (!databaseUrl) throw new Error('spawnNodeEntry needs file or databaseUrl')
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/entries/node.ts'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(opts.port), LIBSQL_URL: databaseUrl, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let url = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => ok({ code, signal })),
  )
  const ready = new Promise<string>((ok, fail) => {
    const timeoutMs = opts.readyTimeoutMs ?? 60_000
    const timer = setTimeout(
      () => fail(new Error(`server not ready in ${timeoutMs / 1000} s:\n${out}\n${err}`)),
      timeoutMs,
    )
    const onData = () => {
      const key = out.match(/Public key \(demo\)\s+(\S+)/)?.[1]
      if (key) {
        url = out.match(/Earshot is running on (http:\/\/\S+)/)?.[1] ?? `http://127.0.0.1:${opts.port}`
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        ok(key)
      }
    }
    child.stdout!.on('data', onData)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      fail(new Error(`server exited (${code ?? signal}) before it was ready:\n${out}\n${err}`))
    })
  })
  ready.catch(() => {})
  return { child, ready, url: () => url, exited, stdout: () => out, stderr: () => err }
}
