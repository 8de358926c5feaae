/**
 * Cloudflare Workers entry: wires the one Earshot app to Turso (libSQL over HTTP, through the
 * web client — workerd has no native libSQL) and to wrangler's static assets. All behaviour
 * lives in `createApp`; this file only builds its dependencies, once per isolate.
 */
import { createClient } from '@libsql/client/web'
import type { ExecutionContext, MiddlewareHandler } from 'hono'
import { createApp, createDeps, type App } from '../app.js'
import { systemClock } from '../clock.js'
import { assertRunnableConfig, databaseFromEnv, loadConfig } from '../config.js'
import { createDatabase } from '../db/client.js'
import type { Deps } from '../domain/deps.js'
import { dohTxtLookup } from '../domain/status/dns-txt.js'
import { errorBody } from '../http/errors.js'
import { BINDING_RULES, cloudflareClientAddress, cloudflareRateLimiter, databaseRateLimiter, type RateLimitBinding } from '../http/rate-limit.js'
import { runBackgroundJobs } from '../jobs.js'
import { edgeResponseCache } from '../http/response-cache.js'
import { LeaseHeld, releaseLease, waitingReports } from '../domain/pipeline/index.js'
import { deliverDue, outboxTransport } from '../domain/notifications/outbox.js'
import { r2AttachmentStore, type R2BucketLike } from '../domain/attachments/store.js'

export interface WorkersEnv {
  /** Secret: `libsql://<db>-<org>.turso.io` (or any libSQL HTTP endpoint); the same name as on Node. */
  LIBSQL_URL?: string
  /** Secret: a Turso / libSQL database token. */
  LIBSQL_AUTH_TOKEN?: string
  /** Aliases of the two above, as Turso names them. */
  TURSO_DATABASE_URL?: string
  TURSO_AUTH_TOKEN?: string
  /** wrangler's static assets (dist/public): widget.js, dashboard/. */
  ASSETS: { fetch(request: Request): Promise<Response> }
  /** R2 bucket for customers' screenshots (wrangler.toml `[[r2_buckets]]`). */
  ATTACHMENTS?: R2BucketLike
  /** Cloudflare rate-limiting bindings (wrangler.toml `[[ratelimits]]`): per-minute limits of /v1 requests. */
  RATE_LIMIT_REPORTS?: RateLimitBinding
  RATE_LIMIT_READS?: RateLimitBinding
  RATE_LIMIT_ADDRESS?: RateLimitBinding
  /** Cloudflare Queue `earshot-reports` (wrangler.toml `[[queues.producers]]`): each stored report's id. */
  REPORTS_QUEUE?: QueueLike
  [name: string]: unknown
}

// The few runtime types this file touches, declared here so the shared tsconfig does not need
// @cloudflare/workers-types (whose globals clash with the DOM lib the widget and dashboard use).
interface ScheduledController {
  readonly cron: string
  readonly scheduledTime: number
}

interface QueueLike {
  send(body: ReportMessage): Promise<unknown>
}

/** What intake sends to the queue: only the id; the report itself is in the database. */
export interface ReportMessage {
  id: string
}

interface QueueMessage {
  readonly id: string
  readonly body: unknown
  readonly attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

interface MessageBatch {
  readonly queue: string
  readonly messages: readonly QueueMessage[]
  ackAll(): void
  retryAll(options?: { delaySeconds?: number }): void
}

interface Instance {
  key: string
  app: App
  deps: Deps
}

/** With a queue, the cron processes only reports that waited longer than this (lost messages, a failed consumer). */
const STRAGGLER_MS = 60_000
/**
 * How long an isolate keeps a public key's project (0 database requests for it per report). A
 * rotated key is refused by the intake's INSERT at once and answers reads for at most this long.
 */
const PROJECT_KEY_TTL_MS = 15_000
/** How long a widget incident poll's answer is reused (Cache API): a new incident shows within this. */
const INCIDENTS_CACHE_SECONDS = 5
/** Most pipeline batches (of 256 reports) one queue invocation runs; what is left is retried. */
const QUEUE_MAX_BATCHES = 8
const log = (message: string) => console.error(`earshot: ${message}`)

// One database client and one app per isolate, reused by every request the isolate serves.
let instance: Instance | undefined

function getInstance(env: WorkersEnv): Instance {
  const vars = stringVars(env)
  const { url, authToken } = databaseFromEnv(vars)
  if (!url) throw new Error('LIBSQL_URL is not set; add it with `npx wrangler secret put LIBSQL_URL` (TURSO_DATABASE_URL works too).')
  const key = `${url}\n${authToken ?? ''}`
  if (instance?.key === key) return instance

  const config = loadConfig(vars)
  // Production without PUBLIC_URL (and other unsafe settings) answers every request with
  // server_misconfigured and logs why, instead of building links from request headers.
  assertRunnableConfig(config)
  instance?.deps.db.close()
  // No in-process group commit here: see DatabaseOptions.groupCommit.
  // `concurrency`: the client queues requests beyond 20 in flight behind each other's, and workerd
  // cancels a request that waits on another request's I/O ("code had hung"): a burst of over 20
  // concurrent reports in one isolate failed with 500s. Each request's own calls go out directly.
  const db = createDatabase(createClient({ url, authToken, concurrency: Number.MAX_SAFE_INTEGER }), { groupCommit: false })
  const attachments = env.ATTACHMENTS ? r2AttachmentStore(env.ATTACHMENTS) : undefined
  // Abuse limits must hold across isolates: the per-minute /v1 limits in Cloudflare's rate-limiting
  // bindings, the long-window ones (sign-in, subscriptions, repeats) in the database; callers by CF-Connecting-IP.
  const perMinute = { [BINDING_RULES.reports]: env.RATE_LIMIT_REPORTS, [BINDING_RULES.reads]: env.RATE_LIMIT_READS, [BINDING_RULES.perAddress]: env.RATE_LIMIT_ADDRESS }
  const limits = { rateLimiter: cloudflareRateLimiter(perMinute, databaseRateLimiter(db, systemClock), systemClock), clientAddress: cloudflareClientAddress }
  // After the intake's commit, the report's id goes to the queue (awaited inside the request, so the
  // send belongs to it; a failed send is logged and the 202 stands — the cron's safety net takes
  // reports that waited over a minute). Without a queue binding, the cron alone runs the pipeline.
  const queue = env.REPORTS_QUEUE
  const pipeline = {
    onStored: queue ? (id: string) => queue.send({ id }).then(() => {}) : undefined,
    stragglerMs: queue ? STRAGGLER_MS : 0,
  }
  // Widget incident polls: the same answer for a few seconds per Cloudflare location.
  const edgeCache = (globalThis as { caches?: { default?: Parameters<typeof edgeResponseCache>[0] } }).caches?.default
  const responseCache = edgeCache ? edgeResponseCache(edgeCache, INCIDENTS_CACHE_SECONDS) : undefined
  // One set of deps (one clustering engine, one pipeline) for requests and background jobs alike.
  const deps = createDeps({ db, clock: systemClock, config, lookupTxt: dohTxtLookup(config.dohUrl), attachments, pipeline, projectKeyTtlMs: PROJECT_KEY_TTL_MS, responseCache, ...limits })
  instance = { key, app: createApp(deps, { assets: serveAssets }), deps }
  return instance
}

/**
 * Whatever no route answered goes to the assets (GET/HEAD only). A dashboard deep link such as
 * /dashboard/clusters/abc is the dashboard's own client-side route: answer with its index.html.
 */
const serveAssets: MiddlewareHandler<{ Bindings: WorkersEnv }> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
  const assets = c.env.ASSETS
  const found = await assets.fetch(c.req.raw)
  if (found.status !== 404) return found
  const url = new URL(c.req.url)
  if (url.pathname.startsWith('/dashboard/') && !/\.[a-z0-9]+$/i.test(url.pathname)) {
    const index = await assets.fetch(new Request(new URL('/dashboard/', url), c.req.raw))
    if (index.ok) return index
  }
  return next()
}

/** Workers vars and secrets that are strings; bindings such as ASSETS are left out. */
function stringVars(env: WorkersEnv): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value
  return vars
}

export default {
  async fetch(request: Request, env: WorkersEnv, ctx: ExecutionContext): Promise<Response> {
    let app: App
    try {
      app = getInstance(env).app
    } catch (error) {
      // Building the client does not touch the network, so this is a configuration mistake.
      console.error(`earshot: cannot start: ${(error as Error).message}`)
      return Response.json(errorBody('server_misconfigured', 'The service is not configured correctly.'), { status: 500 })
    }
    return app.fetch(request, env, ctx)
  },

  /**
   * The queue consumer: runs the same pipeline as the Node server (oldest waiting reports first,
   * in batches), then delivers the notifications those batches queued — a surge webhook leaves
   * seconds after the crossing report. A message whose report is processed (by this run or an
   * earlier one) is acked; one whose report still waits is retried, and a failing run retries
   * them all, with a delay (Queues gives up after max_retries; the cron's safety net remains).
   */
  async queue(batch: MessageBatch, env: WorkersEnv, _ctx: ExecutionContext): Promise<void> {
    const { deps } = getInstance(env)
    await consumeReports(deps, batch)
  },

  async scheduled(_controller: ScheduledController, env: WorkersEnv, ctx: ExecutionContext): Promise<void> {
    const { deps } = getInstance(env)
    // If the safety net ran the pipeline, give the lease back so the queue consumer need not wait for it to lapse.
    const run = runBackgroundJobs(deps, log).finally(() => deps.db.write((tx) => releaseLease(tx, deps.pipeline.options.holder)).catch(() => {}))
    ctx.waitUntil(run)
  },
}

async function consumeReports(deps: Deps, batch: MessageBatch): Promise<void> {
  try {
    await deps.pipeline.drain({ maxBatches: QUEUE_MAX_BATCHES })
  } catch (error) {
    // Another runner holds the lease (a cron run, another isolate): come back when it lapses.
    const delaySeconds = error instanceof LeaseHeld ? Math.min(60, Math.max(1, Math.ceil((error.until - Date.now()) / 1000))) : 5
    if (!(error instanceof LeaseHeld)) log(`queue: pipeline batch failed, retrying ${batch.messages.length} message(s) in ${delaySeconds} s: ${(error as Error)?.message ?? error}`)
    batch.retryAll({ delaySeconds })
    return
  } finally {
    // Give the lease back at once: the next invocation may land in another isolate.
    await deps.db.write((tx) => releaseLease(tx, deps.pipeline.options.holder)).catch(() => {})
  }
  // The alerts the batches queued leave now, not at the next cron tick (failures retry from the outbox).
  await deliverDue(deps, outboxTransport(deps)).catch((error) => log(`queue: outbox delivery failed (the cron retries): ${(error as Error)?.message ?? error}`))

  const ids = batch.messages.map((m) => messageReportId(m.body)).filter((id): id is string => id !== undefined)
  let waiting = new Set<string>()
  if (ids.length) {
    try {
      waiting = new Set(await waitingReports(deps.db.orm, ids))
    } catch {
      batch.retryAll({ delaySeconds: 5 })
      return
    }
  }
  for (const m of batch.messages) {
    const id = messageReportId(m.body)
    if (id && waiting.has(id)) m.retry({ delaySeconds: 2 })
    else m.ack() // processed, or not a report id we know (erased, malformed): nothing to do
  }
}

function messageReportId(body: unknown): string | undefined {
  const id = (body as Partial<ReportMessage> | null)?.id
  return typeof id === 'string' && id.length <= 64 ? id : undefined
}
