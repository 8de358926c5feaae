// The Node entry as `npm start` runs it (`node --import tsx worker/entries/node.ts`), in its own
// process, configured only through its environment — for tests where that process boundary is the
// point: a remote database from LIBSQL_URL, several processes sharing one database.
import { spawn } from 'node:child_process'
import { ROOT } from '../workers/build-output.js'
import { track } from './child-processes.js'

export interface NodeProcess {
  url: string
  /** The demo project's public key, as printed at start-up. */
  key: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** SIGTERM (the entry closes its server and database), SIGKILL if it lingers. */
  stop(): Promise<void>
}

/** Starts the entry on a random 127.0.0.1 port and resolves once it prints its banner. */
export async function startNodeProcess(env: Record<string, string | undefined>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/entries/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', EARSHOT_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  track(child, process.execPath)
  let out = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()))

  const banner = await new Promise<{ url: string; key: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the Node entry did not start within 60 s:\n${out}`)), 60_000)
    const onData = () => {
      const url = out.match(/Earshot is running on (http:\/\/\S+)/)?.[1]
      const key = out.match(/Public key \(demo\)\s+(\S+)/)?.[1]
      if (url && key) {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        ok({ url, key })
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      fail(new Error(`the Node entry exited (${code ?? signal}) before it was ready:\n${out}`))
    })
  })

  return {
    ...banner,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(escalate)
    },
  }
}
