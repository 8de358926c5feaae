import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAdaptorServer } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'
import type { AddressInfo } from 'node:net'
import { createApp, createDeps } from '../app.js'
import { proxiedClientAddress } from '../http/rate-limit.js'
import { systemClock, type Clock } from '../clock.js'
import { assertRunnableConfig, loadConfig, type Config } from '../config.js'
import { createDatabase, type Database } from '../db/client.js'
import { openNodeClient } from '../db/node-client.js'
import { migrateDatabase } from '../db/migrate.js'
import { ensureDemoWorkspace, type DemoSeed } from '../demo/seed.js'
import type { Deps } from '../domain/shared/index.js'
import { runBackgroundJobs } from '../jobs.js'
import { yieldToIo, type PipelineOptions } from '../domain/pipeline/index.js'
import { nodeWebhookFetch, type Resolve } from './node-fetch.js'
import { systemTxtLookup } from './node-dns.js'
import { compressResponses } from './node-compress.js'
import { CACHE_REVALIDATE, staticFiles } from './node-static.js'
import { defaultAttachmentsDir, directoryAttachmentStore } from './node-attachments.js'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const PUBLIC_DIR = resolve(REPO_ROOT, 'dist/public')
/** How often the Node server runs its background jobs (clustering refinement, outbox, retention …). */
export const NODE_JOBS_INTERVAL_MS = 30_000

/**
 * Built widget and dashboard from dist/public (compressed and cached by kind: node-static.ts); any
 * /dashboard/* path without a file falls back to the SPA's index.
 */
export function nodeAssets(root = PUBLIC_DIR): MiddlewareHandler {
  const files = staticFiles(root)
  const dashboardIndex = serveStatic({ root, path: 'dashboard/index.html', precompressed: true })
  return async (c, next) => {
    const path = new URL(c.req.url).pathname
    if (path === '/dashboard') return c.redirect('/dashboard/')
    return files(c, async () => {
      if (path.startsWith('/dashboard/') && !/\.[a-z0-9]+$/i.test(path)) {
        const res = await dashboardIndex(c, next)
        if (res) {
          res.headers.set('Cache-Control', CACHE_REVALIDATE)
          res.headers.set('Vary', 'Accept-Encoding')
          c.res = res
        }
        return
      }
      await next()
    })
  }
}

export interface NodeServerOptions {
  /** libSQL URL: `file:…` for an embedded file, or a libSQL server / Turso URL. */
  databaseUrl: string
  authToken?: string
  host?: string
  port?: number
  env?: Record<string, string | undefined>
  clock?: Clock
  config?: Partial<Config>
  /** Background jobs interval; 0 turns it off (tests drive jobs themselves). */
  jobsIntervalMs?: number
  log?: (message: string) => void
  /** Give a freshly created demo project status-page components (`npm start`; tests start bare). */
  demoComponents?: boolean
  /** Report pipeline settings (it runs in this process, woken after every intake commit). */
  pipeline?: Partial<PipelineOptions>
  /** How webhook host names are resolved (tests play a rebinding DNS server); the system resolver by default. */
  resolveWebhookHost?: Resolve
  /** DNS servers for custom-domain checks (`host:port`); default: the system resolver. */
  dnsServers?: string[]
}

/** How long a clean shutdown keeps clustering waiting reports before it closes the database. */
const SHUTDOWN_DRAIN_MS = 5_000

export interface RunningServer {
  url: string
  port: number
  db: Database
  deps: Deps
  seed: DemoSeed
  /** Where screenshot files are kept. */
  attachmentsDir: string
  close(): Promise<void>
}

/** Opens the database, migrates it, seeds the demo workspace and serves the app on a real socket. */
export async function startNodeServer(opts: NodeServerOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env
  // Refuse to start (before touching the database) when the configuration is unsafe, e.g. no
  // PUBLIC_URL in production. Elsewhere an unset PUBLIC_URL means this server's own address.
  const config = { ...loadConfig(env), ...opts.config }
  assertRunnableConfig(config)
  if (opts.databaseUrl.startsWith('file:')) mkdirSync(dirname(resolve(opts.databaseUrl.slice(5))), { recursive: true })
  const db = createDatabase(await openNodeClient(opts.databaseUrl, opts.authToken))
  await migrateDatabase(db)

  const clock = opts.clock ?? systemClock
  const log = opts.log ?? ((m: string) => console.error(m))
  // Screenshots: files in a directory beside the database (EARSHOT_ATTACHMENTS_DIR to choose it).
  const attachmentsDir = env.EARSHOT_ATTACHMENTS_DIR?.trim() || defaultAttachmentsDir(opts.databaseUrl, REPO_ROOT)
  const attachments = directoryAttachmentStore(attachmentsDir)
  // Rate limits key on the socket's address (a header could be forged when nothing trusted is in
  // front), or on what a trusted proxy says when EARSHOT_TRUST_PROXY is set.
  const socketAddress = (c: Context) => getConnInfo(c).remote.address ?? 'unknown'
  const clientAddress = proxiedClientAddress(config.trustProxy, socketAddress)
  // Webhooks connect only to the address the SSRF guard checked (worker/entries/node-fetch.ts).
  const webhookFetch = nodeWebhookFetch(config, { resolve: opts.resolveWebhookHost })
  // The pipeline runs here, woken after every intake commit. An embedded file has one writer (this
  // process, held by its file lock), so its lease is simply taken; several processes on a libSQL
  // server take turns.
  const pipeline: Partial<PipelineOptions> = {
    auto: true,
    exclusive: opts.databaseUrl.startsWith('file:'),
    pause: yieldToIo,
    ...opts.pipeline,
  }
  // One set of dependencies for the app, the background jobs and the pipeline.
  const deps = createDeps({
    db,
    clock,
    config,
    log,
    clientAddress,
    pipeline,
    webhookFetch,
    lookupTxt: systemTxtLookup(opts.dnsServers),
    attachments,
  })
  const app = createApp(deps, { assets: nodeAssets() })

  const host = opts.host ?? '127.0.0.1'
  // Dynamic answers (status pages, JSON) compressed here; static files come precompressed.
  const server = createAdaptorServer({ fetch: compressResponses(app.fetch) })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, host, () => ok())
  })
  const port = (server.address() as AddressInfo).port
  // Outside production an unset PUBLIC_URL is this server's own address (known only now, for port
  // 0). This runs before the event loop turns again, so no request sees the config without it.
  if (!env.PUBLIC_URL && opts.config?.publicUrl === undefined && config.environment !== 'production') {
    const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
    config.publicUrl = `http://${name}:${port}`
  }
  const seed = await ensureDemoWorkspace(deps, {
    origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    adminEmail: env.EARSHOT_ADMIN_EMAIL,
    adminPassword: env.EARSHOT_ADMIN_PASSWORD,
    components: opts.demoComponents,
  })
  // Reports a previous process stored but did not get to cluster (a crash) are picked up now.
  deps.pipeline.wake(0)

  const interval = opts.jobsIntervalMs ?? NODE_JOBS_INTERVAL_MS
  // A run that takes longer than the interval (a big refinement) is not started twice.
  let jobsRunning = false
  const tick = async () => {
    if (jobsRunning) return
    jobsRunning = true
    try {
      await runBackgroundJobs(deps, log)
    } finally {
      jobsRunning = false
    }
  }
  const timer = interval > 0 ? setInterval(() => void tick(), interval) : undefined
  timer?.unref()

  return {
    url: `http://${host}:${port}`,
    port,
    db,
    deps,
    seed,
    attachmentsDir,
    async close() {
      if (timer) clearInterval(timer)
      await new Promise<void>((ok) => server.close(() => ok()))
      ;(server as any).closeAllConnections?.()
      // What was acknowledged is stored already; clustering what waits now saves the next start the work.
      await deps.pipeline.stop({ drainMs: SHUTDOWN_DRAIN_MS })
      db.close()
    },
  }
}
