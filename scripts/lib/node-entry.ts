// The real Node entry (`worker/entries/node.ts`, what `npm start` runs) as a child process on a
// given libSQL file and port: for the crash test, the single-writer test and the disk-full test.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = resolve(fileURLToPath(import.meta.url), '../../..')

export interface NodeEntryProcess {
  child: ChildProcess
  /** Resolves with the demo project's public key once the server listens; rejects if it exits first. */
  ready: Promise<string>
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stdout(): string
  stderr(): string
}

export function spawnNodeEntry(opts: { port: number; file: string; env?: Record<string, string>; readyTimeoutMs?: number }): NodeEntryProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/entries/node.ts'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(opts.port), LIBSQL_URL: `file:${opts.file}`, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (code, signal) => ok({ code, signal })))
  const ready = new Promise<string>((ok, fail) => {
    const timeoutMs = opts.readyTimeoutMs ?? 60_000
    const timer = setTimeout(() => fail(new Error(`server not ready in ${timeoutMs / 1000} s:\n${out}\n${err}`)), timeoutMs)
    const onData = () => {
      const key = out.match(/Public key \(demo\)\s+(\S+)/)?.[1]
      if (key) {
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
  return { child, ready, exited, stdout: () => out, stderr: () => err }
}
