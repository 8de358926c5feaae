import type { Clock } from '../../worker/clock.js'
import type { Config } from '../../worker/config.js'
import type { PipelineOptions } from '../../worker/domain/pipeline/index.js'
import { startNodeServer } from '../../worker/entries/node-server.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, tempDatabaseUrl } from './db.js'
import { clusterOf } from './pipeline.js'

export { ADMIN_EMAIL, ADMIN_PASSWORD }

/**
 * The real Node entry on a real 127.0.0.1 socket (random port) over a fresh libSQL file, with the
 * demo workspace seeded (its key accepts this server's own origins) and dist/public served.
 */
export async function startServer(
  opts: {
    clock?: Clock
    config?: Partial<Config>
    extraOrigins?: string[]
    dnsServers?: string[]
    pipeline?: Partial<PipelineOptions>
  } = {},
) {
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
    pipeline: opts.pipeline,
    log: (m) => errors.push(m),
  })
  if (opts.extraOrigins?.length) {
    const { allowedOriginsOf, findProjectBySlug, setAllowedOrigins } = await import(
      '../../worker/domain/projects/projects.js'
    )
    const project = (await findProjectBySlug(server.db.orm, 'demo'))!
    await server.db.write((tx) =>
      setAllowedOrigins(tx, project.id, [...allowedOriginsOf(project), ...opts.extraOrigins!]),
    )
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

/**
 * Posts a report to a running server exactly as the widget does (text/plain: no CORS preflight),
 * then waits for the report pipeline to cluster it: the 202 promises only the id, so the cluster
 * comes from the stored report once the pipeline has drained (`clusterOf`), never from a sleep.
 */
export async function postReport(
  server: Pick<TestServer, 'url' | 'key' | 'deps'>,
  message: string,
  extra: Record<string, unknown> = {},
) {
  const res = await fetch(`${server.url}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-earshot-key': server.key, origin: server.url },
    body: JSON.stringify({ message, ...extra }),
  })
  if (res.status !== 202) throw new Error(`POST /v1/reports answered ${res.status}: ${await res.text()}`)
  const { id } = (await res.json()) as { id: string }
  const cluster_id = await clusterOf(server.deps, id)
  if (!cluster_id) throw new Error(`report ${id} was processed without a cluster`)
  return { id, cluster_id }
}
