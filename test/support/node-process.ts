// The Node entry as `npm start` runs it, in its own process (scripts/lib/node-entry.ts), configured
// only through its environment — for tests where that process boundary is the point: a remote
// database from LIBSQL_URL, several processes sharing one database. Tracked, so it never outlives
// the test process.
import { spawnNodeEntry } from '../../scripts/lib/node-entry.js'
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

/** Starts the entry on LIBSQL_URL (from `env`), on a random 127.0.0.1 port; resolves once it prints its banner. */
export async function startNodeProcess(
  env: Record<string, string | undefined> & { LIBSQL_URL: string },
): Promise<NodeProcess> {
  const entry = spawnNodeEntry({
    port: 0,
    databaseUrl: env.LIBSQL_URL,
    env: { HOST: '127.0.0.1', EARSHOT_ENV: 'test', ...env },
  })
  const { child } = entry
  track(child, process.execPath)
  const key = await entry.ready
  return {
    url: entry.url(),
    key,
    output: () => entry.stdout() + entry.stderr(),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await entry.exited
      clearTimeout(escalate)
    },
  }
}
