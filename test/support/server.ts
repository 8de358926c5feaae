import type { Clock } from '../../worker/clock.js'
import type { Config } from '../../worker/config.js'
import { startNodeServer } from '../../worker/entries/node-server.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, tempDatabaseUrl } from './db.js'

export { ADMIN_EMAIL, ADMIN_PASSWORD }

/**
 * The real Node entry on a real 127.0.0.1 socket (random port) over a fresh libSQL file, with the
 * demo workspace seeded (its key accepts this server's own origins) and dist/public served.
 */
export async function startServer(opts: { clock?: Clock; config?: Partial<Config>; extraOrigins?: string[]; dnsServers?: string[] } = {}) {
  const tmp = tempDatabaseUrl()
  const errors: string[] = []
  const server = await startNodeServer({
    databaseUrl: tmp.url,
    port: 0,
    env: { EARSHOT_ADMIN_EMAIL: ADMIN_EMAIL, EARSHOT_ADMIN_PASSWORD: ADMIN_PASSWORD, EARSHOT_ENV: 'test' },
    clock: opts.clock,
    config: opts.config,
    jobsIntervalMs: 0,
    dnsServers: opts.dnsServers,
    log: (m) => errors.push(m),
  })
  if (opts.extraOrigins?.length) {
    const { allowedOriginsOf, findProjectBySlug, setAllowedOrigins } = await import('../../worker/domain/projects.js')
    const project = (await findProjectBySlug(server.db.orm, 'demo'))!
    await server.db.write((tx) => setAllowedOrigins(tx, project.id, [...allowedOriginsOf(project), ...opts.extraOrigins!]))
  }
  return {
    url: server.url,
    port: server.port,
    key: server.seed.publicKey,
    projectId: server.seed.projectId,
    db: server.db,
    deps: server.deps,
    clock: server.deps.clock,
    attachmentsDir: server.attachmentsDir,
    errors,
    async close() {
      await server.close()
      tmp.cleanup()
    },
  }
}
export type TestServer = Awaited<ReturnType<typeof startServer>>

/** Posts a report to a running server exactly as the widget does (text/plain: no CORS preflight). */
export async function postReport(server: Pick<TestServer, 'url' | 'key'>, message: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${server.url}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-earshot-key': server.key, origin: server.url },
    body: JSON.stringify({ message, ...extra }),
  })
  if (res.status !== 202) throw new Error(`POST /v1/reports answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as { id: string; cluster_id: string }
}
